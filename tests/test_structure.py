"""The structure holds: no import loop between files, and the apps' layers (pyproject.toml's
import-linter contract, also run by `make lint`) keep their debt from growing.

Imports inside functions count: a deferred import is still a dependency, only a hidden one.
Test modules and migrations are left out; tests may import whatever they check.
"""

import grimp


def production_graph():
    graph = grimp.build_graph("shahrak", cache_dir=None)
    for module in list(graph.modules):
        if ".tests" in module or ".migrations" in module or module.endswith(".conftest"):
            graph.remove_module(module)
    return graph


def strongly_connected(graph) -> list[set[str]]:
    """Tarjan's algorithm over the module import graph (iterative: the graph has hundreds of files)."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], [0]
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def test_the_loop_finder_finds_a_loop():
    graph = grimp.ImportGraph()
    for name in ("a", "a.x", "a.y", "a.z"):
        graph.add_module(name)
    graph.add_import(importer="a.x", imported="a.y")
    graph.add_import(importer="a.y", imported="a.x")
    graph.add_import(importer="a.z", imported="a.x")
    assert strongly_connected(graph) == [{"a.x", "a.y"}]


def test_no_import_loop_between_files():
    loops = strongly_connected(production_graph())
    assert loops == [], "files that import each other in a loop: " + "; ".join(map(str, loops))

"""The one write path: every create, change, delete and restore of a record, from the web, the API,
imports and the named actions of each app, goes through `shahrak.records.actions`.

It sits above `accounts` (it checks who may write) and `core` (history), below the framework (`ui`)
and the domain apps that call it.
"""

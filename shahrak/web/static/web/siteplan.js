/* An estate's site plan: its plots (GeoJSON in the estate's own metres, from the page's json_script)
   drawn with ECharts as a map without tiles, coloured by status; a shape with a link opens it. */
(function () {
  "use strict";

  function draw(element) {
    const plan = JSON.parse(document.getElementById(element.dataset.sitePlan).textContent);
    const labels = plan.labels;
    echarts.registerMap("site-plan-" + element.id, { type: "FeatureCollection", features: plan.features });
    // The plan keeps its proportions (metres are metres both ways): the box is as tall as the
    // plan's shape asks, within bounds, and ECharts fits the plan in it without stretching.
    const xs = [], ys = [];
    plan.features.forEach((f) => f.geometry.coordinates[0].forEach((p) => { xs.push(p[0]); ys.push(p[1]); }));
    const aspect = (Math.max(...xs) - Math.min(...xs)) / Math.max(1e-9, Math.max(...ys) - Math.min(...ys));
    element.style.height = Math.round(Math.min(640, Math.max(240, element.clientWidth / aspect))) + "px";
    const chart = echarts.init(element, null, { renderer: "svg" });
    const data = plan.features.map(function (feature) {
      const p = feature.properties;
      return {
        name: p.name, code: p.code, area: p.area, use: p.use, status: p.status, statusLabel: p.status_label, url: p.url,
        itemStyle: { areaColor: p.colour, borderColor: p.current ? "#111827" : "#ffffff", borderWidth: p.current ? 3 : 1 },
        emphasis: { itemStyle: { areaColor: p.colour, borderColor: "#111827", borderWidth: 2 } },
      };
    });
    // The tooltip is HTML: every text from the records is escaped (a code is typed by an officer).
    const esc = echarts.format.encodeHTML;
    const line = (label, value) => esc(label) + ": " + value;
    chart.setOption({
      animation: !navigator.webdriver,
      textStyle: { fontFamily: "Vazirmatn, system-ui, sans-serif" },
      tooltip: {
        trigger: "item",
        formatter: function (params) {
          const d = params.data;
          if (!d) return "";
          const code = "<bdi class=\"code\" dir=\"ltr\">" + esc(d.code) + "</bdi>";
          return [line(labels.code, code), line(labels.area, esc(d.area)), line(labels.use, esc(d.use)),
            line(labels.status, esc(d.statusLabel))].join("<br>");
        },
      },
      series: [{
        type: "map", map: "site-plan-" + element.id, nameProperty: "name", aspectScale: 1, roam: true,
        selectedMode: false, layoutCenter: ["50%", "50%"], layoutSize: "94%",
        // Codes on the shapes while they fit; on a plan of many plots the tooltip names them.
        label: { show: data.length <= 40, formatter: (params) => (params.data ? params.data.code : ""), fontSize: 10, color: "#111827" },
        labelLayout: { hideOverlap: true },
        data: data,
      }],
    });
    chart.on("click", function (params) {
      if (params.data && params.data.url) window.location.href = params.data.url;
    });
    chart.on("mouseover", function (params) {
      element.style.cursor = params.data && params.data.url ? "pointer" : "default";
    });
    window.addEventListener("resize", () => chart.resize());
    element.dataset.shapes = String(data.length);
    element.dataset.ready = "1";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-site-plan]").forEach(draw);
  });
})();

/* Charts of the figure pages (ECharts, served from the project's own files; the map needs no tiles). */
(function () {
  "use strict";
  const fa = window.shahrak.fa;
  const num = window.shahrak.number;
  const BRAND = "#0f766e";
  const FONT = "Vazirmatn, system-ui, sans-serif";
  const charts = [];

  function make(id, renderer) {
    const element = document.getElementById(id);
    if (!element) return null;
    const chart = echarts.init(element, null, { renderer: renderer || "canvas", locale: fa ? "FA" : "EN" });
    charts.push(chart);
    return chart;
  }
  window.addEventListener("resize", function () { charts.forEach((c) => c.resize()); });

  function base() {
    // No animation in automated browsers: screenshots and tests see the finished chart.
    return { animation: !navigator.webdriver, textStyle: { fontFamily: FONT }, color: [BRAND, "#f59e0b", "#6366f1", "#ef4444", "#10b981", "#8b5cf6", "#64748b"],
      grid: { left: 24, right: 24, top: 24, bottom: 8, containLabel: true } };
  }

  // Right-to-left pages read axes from the right: the category axis runs right to left, values sit on the right.
  function bars(chart, labels, values, options) {
    options = options || {};
    chart.setOption(Object.assign(base(), {
      tooltip: { trigger: "axis", formatter: (p) => p[0].name + "<br><b>" + num(p[0].value, options.decimals) + "</b> " + (options.unit || "") },
      xAxis: options.horizontal
        ? { type: "value", inverse: fa, axisLabel: { formatter: (v) => num(v) } }
        : { type: "category", data: labels, inverse: fa, axisLabel: { interval: 0, rotate: labels.length > 6 ? 45 : 0 } },
      yAxis: options.horizontal
        ? { type: "category", data: labels, position: fa ? "right" : "left", inverse: true }
        : { type: "value", position: fa ? "right" : "left", axisLabel: { formatter: (v) => num(v) } },
      series: [{ type: "bar", data: values, itemStyle: { color: BRAND, borderRadius: 3 }, barMaxWidth: 36 }],
    }), true);
  }

  function fetchJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then((r) => {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
  }


  // The provinces' outline, registered once for every map of the page (served from the project's files).
  let iranRegistered = null;
  function iranMap(url) {
    iranRegistered = iranRegistered || fetchJson(url).then(function (geojson) {
      echarts.registerMap("iran", geojson);
      return geojson;
    });
    return iranRegistered;
  }

  // A choropleth of the 31 provinces: values are {name: ISO code, value, label, text, url}.
  function provinceMap(chart, values, options) {
    options = options || {};
    const numbers = values.map((v) => v.value || 0);
    chart.setOption(Object.assign(base(), {
      tooltip: { trigger: "item", formatter: (p) => p.data ? p.data.label + "<br><b>" + p.data.text + "</b>" : p.name },
      visualMap: { min: options.min === undefined ? 0 : options.min, max: options.max || Math.max(1, ...numbers), calculable: true,
        orient: "horizontal", left: "center", bottom: 0,
        inRange: { color: options.colors || ["#f0fdfa", "#5eead4", "#0f766e", "#134e4a"] }, formatter: (v) => num(v),
        textStyle: { fontFamily: FONT } },
      series: [{ type: "map", map: "iran", nameProperty: "iso", roam: false, top: 10, bottom: 50,
        label: { show: false }, emphasis: { label: { show: false }, itemStyle: { areaColor: "#f59e0b" } },
        itemStyle: { borderColor: "#fff", borderWidth: 0.8 },
        data: values }],
    }), true);
    chart.off("click");
    chart.on("click", (p) => { if (p.data && p.data.url) window.location = p.data.url; });
  }

  // A line of a score over months (0 to 100), months read from the right on a right-to-left page.
  function scoreLine(chart, trend, small) {
    chart.setOption(Object.assign(base(), {
      grid: small ? { left: 2, right: 2, top: 4, bottom: 4 } : { left: 16, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", formatter: (p) => p[0].name + "<br><b>" + (p[0].value === null || p[0].value === undefined ? "—" : num(p[0].value, 1)) + "</b>" },
      xAxis: { type: "category", data: trend.labels, inverse: fa, show: !small, axisLabel: { rotate: 30 } },
      // A small line from its own lowest ten to 100: its rise and fall show; the page's chart is 0 to 100.
      yAxis: { type: "value", min: small ? (v) => Math.max(0, Math.floor(v.min / 10) * 10 - 10) : 0, max: 100, show: !small, position: fa ? "right" : "left", axisLabel: { formatter: (v) => num(v) } },
      series: [{ type: "line", data: trend.values, showSymbol: !small, symbolSize: 5, connectNulls: false,
        lineStyle: { width: small ? 1.5 : 2 }, areaStyle: small ? undefined : { opacity: 0.1 } }],
    }), true);
  }

  // The data-quality page: the map of the month's scores and each province's line of the last 12 months.
  function quality(opts) {
    const values = JSON.parse(document.getElementById("data-quality-map").textContent);
    const trends = JSON.parse(document.getElementById("data-quality-trends").textContent);
    document.querySelectorAll("[data-trend]").forEach(function (element) {
      const chart = echarts.init(element, null, { renderer: "svg" });
      charts.push(chart);
      scoreLine(chart, trends[element.dataset.trend], true);
    });
    const map = make("quality-map", "svg");
    const element = document.getElementById("quality-map");
    iranMap(opts.geojson).then(function () {
      // From the lowest score's ten down to 100, so that near scores still look apart.
      const scores = values.map((v) => v.value).filter((v) => v !== null);
      const low = scores.length ? Math.max(0, Math.floor(Math.min(...scores) / 10) * 10) : 0;
      provinceMap(map, values, { min: low, max: 100, colors: ["#dc2626", "#fbbf24", "#a7f3d0", "#0f766e"] });
      element.dataset.ready = "1";
    });
  }

  function qualityTrend(id, trend) {
    const chart = make(id);
    if (!chart) return;
    scoreLine(chart, trend, false);
    document.getElementById(id).dataset.ready = "1";
  }

  function dashboard(opts) {
    const monthly = make("chart-monthly");
    const yearly = make("chart-yearly");
    const categories = make("chart-categories");
    const map = make("chart-map", "svg");

    const categoryRows = JSON.parse(document.getElementById("data-categories").textContent);
    bars(categories, categoryRows.map((r) => r.label), categoryRows.map((r) => ({ value: r.value, url: r.url })),
      { horizontal: true, decimals: 1 });
    categories.on("click", (p) => { if (p.data && p.data.url) window.location = p.data.url; });

    const trendSelect = document.getElementById("trend-metric");
    function loadTrend() {
      document.getElementById("chart-yearly").dataset.ready = "";
      fetchJson(opts.trendUrl + "?" + opts.query + "&metric=" + trendSelect.value).then(function (data) {
        const decimals = data.unit ? 1 : 0;
        const linked = (part) => part.values.map((value, i) => ({ value: value, url: part.urls[i] }));
        if (data.monthly) {
          bars(monthly, data.monthly.labels, linked(data.monthly), { unit: data.unit, decimals: decimals });
        } else {
          monthly.clear();
          monthly.setOption({ title: { text: fa ? "این رقم ماه‌به‌ماه ندارد" : "No monthly series for this figure",
            left: "center", top: "middle", textStyle: { fontFamily: FONT, fontSize: 13, color: "#667085", fontWeight: 400 } } });
        }
        bars(yearly, data.yearly.labels, linked(data.yearly), { unit: data.unit, decimals: decimals });
        document.getElementById("chart-yearly").dataset.ready = "1";
      });
    }
    [monthly, yearly].forEach((chart) => chart.on("click", (p) => { if (p.data && p.data.url) window.location = p.data.url; }));
    trendSelect.addEventListener("change", loadTrend);
    loadTrend();

    const mapSelect = document.getElementById("map-metric");
    const mapElement = document.getElementById("chart-map");
    function loadMap() {
      mapElement.dataset.ready = "";
      Promise.all([iranMap(opts.geojson), fetchJson(opts.mapUrl + "?" + opts.query + "&metric=" + mapSelect.value)]).then(function (parts) {
        provinceMap(map, parts[1].values);
        mapElement.dataset.ready = "1";
        mapElement.dataset.regions = String(parts[1].values.length);
      });
    }
    mapSelect.addEventListener("change", loadMap);
    loadMap();
  }

  function lorenz(id, points) {
    const chart = make(id);
    if (!chart) return;
    const curve = [[0, 0]].concat(points.map((p) => [p.x * 100, p.y * 100]));
    chart.setOption(Object.assign(base(), {
      grid: { left: 16, right: 16, top: 30, bottom: 24, containLabel: true },
      legend: { top: 0, textStyle: { fontFamily: FONT } },
      tooltip: { trigger: "axis", formatter: (p) => p.map((s) => s.seriesName + ": " + num(s.value[1], 1) + (fa ? "٪" : "%")).join("<br>") },
      xAxis: { type: "value", min: 0, max: 100, inverse: fa, name: fa ? "سهم جمعیت ٪" : "population share %", nameLocation: "middle", nameGap: 24,
        axisLabel: { formatter: (v) => num(v) } },
      yAxis: { type: "value", min: 0, max: 100, position: fa ? "right" : "left", axisLabel: { formatter: (v) => num(v) } },
      series: [
        { name: fa ? "منحنی لورنز" : "Lorenz curve", type: "line", data: curve, showSymbol: false, areaStyle: { opacity: 0.12 }, lineStyle: { width: 2 } },
        { name: fa ? "برابری کامل" : "perfect equality", type: "line", data: [[0, 0], [100, 100]], showSymbol: false,
          itemStyle: { color: "#94a3b8" }, lineStyle: { type: "dashed", color: "#94a3b8" } },
      ],
    }));
    document.getElementById(id).dataset.ready = "1";
  }

  window.shahrakCharts = { dashboard: dashboard, lorenz: lorenz, bars: bars, make: make, provinceMap: provinceMap,
    quality: quality, qualityTrend: qualityTrend };
})();

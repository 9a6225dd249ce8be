// The report page's own script (plain browser JavaScript, inlined as text): draws each plot of the
// embedded ReportSpec with uPlot and the trajectory with 3Dmol.js, and sets window.reportStatus
// for tests ({ plots: n drawn, viewer: true/false/"no-webgl" }).
export const clientScript = String.raw`
(function () {
  var spec = JSON.parse(document.getElementById("report-data").textContent);
  var status = { plots: 0, viewer: false, errors: [] };
  window.reportStatus = status;
  var palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
  var grid = document.getElementById("plots");

  function card(title) {
    var box = document.createElement("section");
    box.className = "card";
    var h = document.createElement("h2");
    h.textContent = title;
    box.appendChild(h);
    grid.appendChild(box);
    return box;
  }
  function width(box) { return Math.max(320, Math.min(560, box.clientWidth - 24)); }

  function linePlot(p) {
    var box = card(p.title);
    var series = [{ label: p.xLabel }];
    var data = [p.x];
    p.series.forEach(function (s, i) {
      series.push({ label: s.label, stroke: palette[i % palette.length], width: 1.5, points: { show: p.x.length < 60 } });
      data.push(s.y);
    });
    var hooks = {};
    if (p.marks && p.marks.length) {
      hooks.draw = [function (u) {
        var ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = "#999";
        ctx.fillStyle = "#333";
        ctx.font = (12 * devicePixelRatio) + "px sans-serif";
        p.marks.forEach(function (m) {
          var x = Math.round(u.valToPos(m.x, "x", true));
          ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
          ctx.fillText(m.label, x + 3, u.bbox.top + 14 * devicePixelRatio);
        });
        ctx.restore();
      }];
    }
    var opts = {
      width: width(box), height: 280, series: series, hooks: hooks, legend: { show: true },
      scales: { x: { time: false }, y: p.logY ? { distr: 3 } : {} },
      axes: [{ label: p.xLabel }, { label: p.yLabel, size: 70 }],
    };
    new uPlot(opts, data, box);
    status.plots++;
  }

  function parityPlot(p) {
    var box = card(p.title);
    var pairs = p.reference.map(function (r, i) { return [r, p.predicted[i]]; }).sort(function (a, b) { return a[0] - b[0]; });
    var x = pairs.map(function (q) { return q[0]; });
    var y = pairs.map(function (q) { return q[1]; });
    var lo = Math.min(x[0], Math.min.apply(null, y)), hi = Math.max(x[x.length - 1], Math.max.apply(null, y));
    var opts = {
      width: width(box), height: 300,
      scales: { x: { time: false, auto: false, range: [lo, hi] }, y: { auto: false, range: [lo, hi] } },
      series: [
        { label: p.xLabel },
        { label: "predicted", stroke: palette[0], width: 0, paths: function () { return null; }, points: { show: true, size: 4, fill: palette[0] } },
        { label: "y = x", stroke: "#888", width: 1, dash: [4, 4], points: { show: false } },
      ],
      axes: [{ label: p.xLabel }, { label: p.yLabel, size: 70 }],
    };
    new uPlot(opts, [x, y, x], box);
    status.plots++;
  }

  spec.plots.forEach(function (p) {
    try { (p.kind === "parity" ? parityPlot : linePlot)(p); }
    catch (e) { status.errors.push(String(e)); throw e; }
  });

  var t = spec.trajectory;
  var holder = document.getElementById("viewer");
  if (t && holder) {
    var probe = document.createElement("canvas");
    var gl = probe.getContext("webgl2") || probe.getContext("webgl");
    if (!gl) {
      holder.textContent = "This browser has no WebGL, so the 3-D view is off; the trajectory is embedded in this file.";
      status.viewer = "no-webgl";
    } else {
      var viewer = $3Dmol.createViewer(holder, { backgroundColor: "white" });
      viewer.addModelsAsFrames(t.xyz, "xyz");
      viewer.setStyle({}, { sphere: { scale: 0.35 } });
      viewer.zoomTo();
      viewer.render();
      var slider = document.getElementById("frame");
      var label = document.getElementById("frame-label");
      slider.max = String(Math.max(0, t.frames - 1));
      var show = function (k) { viewer.setFrame(k); viewer.render(); label.textContent = "frame " + (k + 1) + " / " + t.frames; slider.value = String(k); };
      slider.addEventListener("input", function () { show(Number(slider.value)); });
      var timer = null;
      document.getElementById("play").addEventListener("click", function () {
        if (timer) { clearInterval(timer); timer = null; return; }
        timer = setInterval(function () { show((Number(slider.value) + 1) % t.frames); }, 120);
      });
      show(0);
      status.viewer = true;
    }
  }
  status.done = true;
})();
`;

/* Draws the reporting dashboard from the JSON in #dashboard-data (no inline script: CSP). */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var L = data.labels;
  var BLUE = "#2f6db5", GREEN = "#3a9a5b", RED = "#c0392b", GREY = "#999999";
  var PALETTE = ["#999999", "#2f6db5", "#e67e22", "#c0392b", "#8e44ad", "#16a085", "#7f8c8d"];
  Chart.defaults.font.family = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  Chart.defaults.animation = false;

  function targetLine(count, target) {
    return { type: "line", label: L.target + " " + target + "%", data: new Array(count).fill(target),
             borderColor: RED, borderDash: [6, 4], pointRadius: 0, fill: false };
  }
  function percentAxis() { return { y: { min: 0, max: 100, title: { display: true, text: L.rate } } }; }
  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { new Chart(canvas, config); }
  }

  draw("chart-newborn", { type: "bar", data: { labels: data.newborn.labels, datasets: [
    { label: data.newborn.title, data: data.newborn.rates, backgroundColor: BLUE },
    targetLine(data.newborn.labels.length, data.newborn.target)] }, options: { scales: percentAxis() } });

  draw("chart-children", { type: "bar", data: { labels: data.children.labels, datasets: [
    { label: data.children.title, data: data.children.rates, backgroundColor: GREEN },
    targetLine(data.children.labels.length, data.children.target)] }, options: { scales: percentAxis() } });

  // each reason with its number and share: 不愿参保 12（34.3%）
  var reasonLabels = data.reasons.labels.map(function (label, i) {
    return label + " " + data.reasons.counts[i] + "（" + data.reasons.shares[i] + "%）";
  });
  draw("chart-reasons", { type: "doughnut", data: { labels: reasonLabels, datasets: [
    { data: data.reasons.counts, backgroundColor: PALETTE }] },
    options: { plugins: { legend: { position: "right" } } } });

  draw("chart-conversion", { type: "bar", data: { labels: data.conversion.labels, datasets: [
    { label: L.tasks, data: data.conversion.tasks, backgroundColor: GREY },
    { label: L.insured_after_outreach, data: data.conversion.insured, backgroundColor: GREEN }] } });

  draw("chart-trend", { type: "line", data: { labels: data.trend.labels, datasets: [
    { label: L.insured_total, data: data.trend.insured_total, borderColor: BLUE, backgroundColor: BLUE },
    { label: L.newborns, data: data.trend.newborns, borderColor: GREEN, backgroundColor: GREEN },
    { label: L.insured_after_outreach, data: data.trend.after_outreach, borderColor: RED, backgroundColor: RED }] } });
}());

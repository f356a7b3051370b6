// The dashboard's one script: polls /api/status (the document hd status --json prints) and each live generation's
// loss curves, and redraws. Every figure from the catalog is inserted as text, never as markup: crop names and
// rejection reasons come from untrusted input.
"use strict";

const refreshMs = Number(document.body.dataset.refreshMs) || 2000;
const svgNs = "http://www.w3.org/2000/svg";
const lossCurves = new Map(); // generation id -> { key, curves }

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== null && value !== undefined) node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function svg(tag, attributes, ...children) {
  const node = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
  for (const child of children.flat()) if (child) node.append(child instanceof Node ? child : String(child));
  return node;
}

const fixed = (value, digits) => (value === null || value === undefined ? "–" : Number(value).toFixed(digits));
const plural = (count, noun) => `${count} ${noun}${count === 1 ? "" : "s"}`;
const when = (text) => (text ? new Date(text).toLocaleString() : "–");
const variantClass = (variant) => "variant-" + String(variant).replace(/[^a-z0-9-]/gi, "");
const variantName = (variant) => el("span", { class: "variant-name " + variantClass(variant) }, variant);
const stateCell = (state) => el("td", { class: "state-" + state, "data-field": "state" }, state);
const numberCell = (value, digits, field) => el("td", { class: "number", "data-field": field, "data-value": value ?? "" }, fixed(value, digits));

function table(headers, rows, attributes) {
  return el("table", attributes,
    el("thead", null, el("tr", null, headers.map((h) => el("th", typeof h === "object" ? h : null, typeof h === "object" ? h.text : h)))),
    el("tbody", null, rows));
}

function replace(id, ...children) {
  document.getElementById(id).replaceChildren(...children.flat().filter((c) => c));
}

// A line chart: series of [x, y] points, each drawn in its variant's colour.
function lineChart(series, options) {
  const width = options.width || 560, height = options.height || 180, left = 48, bottom = 22, top = 8, right = 10;
  const points = series.flatMap((s) => s.points);
  if (points.length === 0) return null;
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  let [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  if (options.yMin !== undefined) y0 = Math.min(y0, options.yMin);
  if (options.yMax !== undefined) y1 = Math.max(y1, options.yMax);
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) y1 = y0 + 1;
  const sx = (x) => left + ((x - x0) / (x1 - x0)) * (width - left - right);
  const sy = (y) => top + (1 - (y - y0) / (y1 - y0)) * (height - top - bottom);
  const chart = svg("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": options.label });
  chart.append(
    svg("line", { class: "axis", x1: left, y1: height - bottom, x2: width - right, y2: height - bottom }),
    svg("line", { class: "axis", x1: left, y1: top, x2: left, y2: height - bottom }),
    svg("text", { x: 2, y: top + 10 }, y1.toPrecision(3)),
    svg("text", { x: 2, y: height - bottom }, y0.toPrecision(3)),
    svg("text", { x: left, y: height - 4 }, `${options.xLabel} ${x0}`),
    svg("text", { x: width - right - 60, y: height - 4 }, String(x1)));
  for (const s of series) {
    const group = svg("g", { class: s.cls, "data-series": s.name });
    group.append(svg("title", null, s.name));
    if (s.points.length > 1) {
      group.append(svg("polyline", { class: "curve", points: s.points.map((p) => `${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(" ") }));
    }
    for (const p of s.points.length > 40 ? [s.points[s.points.length - 1]] : s.points) {
      group.append(svg("circle", { class: "dot" + (p[2] ? " regression" : ""), cx: sx(p[0]).toFixed(1), cy: sy(p[1]).toFixed(1), r: 2.5 }));
    }
    chart.append(group);
  }
  return chart;
}

function renderChampion(status) {
  const registry = status.registry_champion, catalog = status.champion;
  const node = document.getElementById("champion");
  if (registry) {
    const promotion = (status.promotions || []).filter((p) => p.outcome === "promoted" && p.version === registry.version).pop();
    node.replaceChildren(`champion: ${registry.model_name} v${registry.version}`,
      promotion ? el("span", null, " (", variantName(promotion.variant), `, overall ${fixed(promotion.overall, 3)})`) : "");
    node.dataset.version = registry.version;
  } else if (catalog) {
    node.replaceChildren(`champion: ${catalog.model_name} v${catalog.version} (from the catalog's events)`);
    node.dataset.version = catalog.version;
  } else {
    node.replaceChildren("no champion yet");
    delete node.dataset.version;
  }
  if (status.registry_problem) node.append(el("div", { class: "stale" }, status.registry_problem));
}

function renderGenerations(status) {
  const generations = status.generations || [];
  if (generations.length === 0) return;
  replace("generations", generations.map((g) => {
    const jobs = g.jobs.map((j) => {
      const row = el("tr", { "data-job": `${g.generation_id}/${j.variant}` },
        el("td", null, variantName(j.variant)),
        stateCell(j.state),
        el("td", { "data-field": "progress" },
          j.total_steps ? el("progress", { value: j.step, max: j.total_steps }) : null,
          el("span", { "data-field": "step", "data-value": j.step }, ` ${j.step}`), j.total_steps ? ` / ${j.total_steps}` : ""),
        numberCell(j.loss, 4, "loss"),
        numberCell(j.steps_per_second, 2, "steps_per_second"),
        el("td", null, j.runner || "–"),
        el("td", null, when(j.updated_at)));
      return j.failure ? [row, el("tr", null, el("td", { colspan: 7, class: "failure" }, j.failure))] : row;
    });
    const block = el("div", { class: "generation", "data-generation": g.generation_id },
      el("div", { class: "generation-head" },
        el("strong", null, `generation ${g.number ?? "?"}`),
        el("span", { class: "state-" + g.state, "data-field": "generation-state" }, g.state),
        el("span", null, g.crops === null ? "" : `${plural(g.crops, "crop")}${g.new_crops === null ? "" : ` (${g.new_crops} new)`}`),
        el("span", { class: "note" }, g.generation_id),
        el("span", { class: "note" }, when(g.requested_at))),
      g.stall ? el("div", { class: "stale" }, `waiting: ${g.stall.stage} gave up (${g.stall.reason}); the evaluator's sweep retries it`) : null,
      jobs.length === 0 ? el("p", { class: "note" }, "no training job recorded yet")
        : table(["variant", "state", "step", { text: "loss", class: "number" }, { text: "steps/s", class: "number" }, "runner", "updated"], jobs),
      el("div", { class: "loss-chart", "data-loss-chart": g.generation_id }));
    drawLoss(block, g.generation_id);
    return block;
  }));
}

function drawLoss(block, generationId) {
  const known = lossCurves.get(generationId);
  const holder = block.querySelector("[data-loss-chart]");
  if (!known) return;
  const series = Object.entries(known.curves).map(([variant, points]) => ({ name: variant, cls: variantClass(variant), points }));
  const chart = lineChart(series, { label: `loss per step, ${generationId}`, xLabel: "step", yMin: 0 });
  if (chart) holder.replaceChildren(el("div", { class: "note" }, "training loss per step"), chart);
}

// Fetches the curves of the newest generations whose jobs moved since the last fetch.
async function refreshLoss(status) {
  const updates = (status.generations || []).slice(0, 3).map(async (g) => {
    const key = g.jobs.map((j) => `${j.variant}:${j.step}:${j.state}`).join("|");
    if (lossCurves.get(g.generation_id)?.key === key) return;
    const response = await fetch(`api/generations/${encodeURIComponent(g.generation_id)}/loss`, { cache: "no-store" });
    if (!response.ok) throw new Error(`loss curves of ${g.generation_id}: HTTP ${response.status}`);
    const curves = await response.json();
    lossCurves.set(g.generation_id, { key, curves });
    const block = document.querySelector(`[data-generation="${CSS.escape(g.generation_id)}"]`);
    if (block) drawLoss(block, g.generation_id);
  });
  await Promise.all(updates);
}

function renderEvaluations(status) {
  const evaluations = status.evaluations || [];
  if (evaluations.length === 0) return;
  replace("evaluations", evaluations.map((e) => {
    const classes = [...new Set(e.scores.flatMap((s) => Object.keys(s.per_class)))].sort();
    const scores = table(["model", "role", { text: "overall", class: "number" }, ...classes.map((c) => ({ text: c, class: "number" }))],
      e.scores.map((s) => el("tr", { "data-score": `${s.variant}/${s.role}` },
        el("td", null, variantName(s.variant)), el("td", null, s.role), numberCell(s.overall, 3, "overall"),
        classes.map((c) => numberCell(s.per_class[c], 3, "class-" + c)))));
    const comparisons = (e.comparisons || []).length === 0 ? null : table(
      ["challenger", { text: "overall", class: "number" }, { text: "champion", class: "number" }, { text: "difference", class: "number" },
        `${Math.round((e.confidence_level ?? 0.95) * 100)}% interval`, `clears margin ${fixed(e.margin, 3)}`],
      e.comparisons.map((c) => el("tr", { "data-comparison": c.variant },
        el("td", null, variantName(c.variant)), numberCell(c.overall, 3, "overall"), numberCell(c.champion_overall, 3, "champion_overall"),
        numberCell(c.difference, 3, "difference"),
        el("td", { "data-field": "interval" }, `[${fixed(c.interval_lower, 3)}, ${fixed(c.interval_upper, 3)}]`),
        el("td", null, c.clears_margin ? "yes" : "no"))));
    const report = e.report_path ? `evaluations/${encodeURIComponent(e.evaluation_id)}/${encodeURIComponent(e.report_path.split("/").pop())}` : null;
    return el("div", { class: "evaluation", "data-evaluation": e.evaluation_id },
      el("h3", null, `generation ${e.generation_number}: `,
        e.winner ? el("span", { class: "outcome-promoted", "data-field": "winner" }, "winner ", variantName(e.winner))
          : el("span", { "data-field": "winner" }, "no new champion")),
      el("div", { class: "note" }, `${e.reason} · ${plural(e.held_out_crops, "held-out crop")}, ${plural(e.training_crops, "training crop")} · ${when(e.completed_at)}`),
      scores, comparisons,
      report ? el("a", { href: report, target: "_blank", rel: "noopener" }, "report") : null);
  }));
}

function renderPromotions(status) {
  const promotions = [...(status.promotions || [])].reverse();
  if (promotions.length > 0) {
    const promoted = promotions.filter((p) => p.outcome === "promoted");
    replace("promotions",
      promoted.length > 1 ? el("p", { id: "previous-champion" }, `previous champion: v${promoted[1].version} (${promoted[1].variant}, overall ${fixed(promoted[1].overall, 3)})`) : null,
      table(["generation", "decision", "version", "variant", { text: "overall", class: "number" }, "reason", "decided"],
        promotions.map((p) => el("tr", { "data-promotion": p.generation_id },
          el("td", null, p.generation_id), el("td", { class: "outcome-" + p.outcome }, p.outcome),
          el("td", { "data-field": "version" }, p.version ? `v${p.version}` : "–"),
          el("td", null, p.variant ? variantName(p.variant) : "–"), numberCell(p.overall, 3, "overall"),
          el("td", null, p.reason || ""), el("td", null, when(p.decided_at))))));
  }
  const rollbacks = [...(status.rollbacks || [])].reverse();
  replace("rollbacks", rollbacks.length === 0 ? null : [el("h3", null, "Rollbacks"),
    table(["model", "to", "from", "reason", "when"], rollbacks.map((r) => el("tr", null,
      el("td", null, r.model_name), el("td", null, `v${r.version}`), el("td", null, `v${r.from_version}`), el("td", null, r.reason), el("td", null, when(r.rolled_back_at)))))]);
}

function renderSites(status) {
  const sites = status.sites || [];
  if (sites.length === 0) return;
  const champion = status.registry_champion?.version ?? status.champion?.version;
  replace("sites", table(["site", "runs", "", "reported"], sites.map((s) => el("tr", { "data-site": s.site },
    el("td", null, s.site), el("td", { "data-field": "version" }, `${s.model_name} v${s.version}`),
    el("td", { class: champion && s.version !== champion ? "stale" : "state-done" }, champion && s.version !== champion ? `behind the champion v${champion}` : "current"),
    el("td", null, when(s.reported_at))))));
}

function renderNightly(status) {
  const nights = status.nightly || [];
  if (nights.length === 0) return;
  const points = nights.filter((n) => n.champion_overall !== null).map((n, i) => [i + 1, n.champion_overall, n.regression]);
  replace("nightly",
    lineChart([{ name: "champion overall", cls: "", points }], { label: "champion's overall score per night", xLabel: "night", yMin: 0, yMax: 1 }),
    table(["night", { text: "champion", class: "number" }, { text: "baseline", class: "number" }, "", "summary"],
      nights.slice(-7).reverse().map((n) => el("tr", { "data-night": n.night_key },
        el("td", null, n.night_key), numberCell(n.champion_overall, 3, "champion_overall"), numberCell(n.baseline_overall, 3, "baseline_overall"),
        el("td", { class: n.regression ? "regression" : "" }, n.regression ? (n.retraining_requested ? "regression: retraining" : "regression") : "ok"),
        el("td", null, n.summary)))));
}

function renderCrops(status) {
  const crops = status.crops;
  if (!crops || (crops.total === 0 && crops.rejected === 0)) return;
  const splits = crops.by_split.map((s) => s.split);
  const classes = [...new Set(crops.by_class.map((c) => c.class_name))].sort();
  const count = (name, split) => crops.by_class.find((c) => c.class_name === name && c.split === split)?.crops ?? 0;
  replace("crops",
    el("p", null, el("span", { "data-field": "crops-total", "data-value": crops.total }, crops.total), " crops: ",
      crops.by_split.map((s, i) => el("span", { "data-split": s.split, "data-value": s.crops }, `${i ? ", " : ""}${s.crops} ${s.split}`))),
    classes.length === 0 ? null : table(["class", ...splits.map((s) => ({ text: s, class: "number" }))],
      classes.map((c) => el("tr", { "data-class": c }, el("td", null, c), splits.map((s) => numberCell(count(c, s), 0, s))))),
    el("p", null, el("span", { "data-field": "rejected", "data-value": crops.rejected }, crops.rejected), " rejected",
      crops.latest_rejections.length ? "; the latest:" : ""),
    crops.latest_rejections.length === 0 ? null : table(["input", "reason", "when"],
      crops.latest_rejections.map((r) => el("tr", null, el("td", null, r.source), el("td", null, r.reason), el("td", null, when(r.rejected_at))))));
}

function renderSecurity(status) {
  const events = status.security_events;
  if (!events || events.total === 0) return;
  replace("security", el("p", null, `${events.total} messages refused as untrusted; the latest:`),
    table(["message", "consumer", "subject", "reason", "when"], events.latest.map((e) => el("tr", null,
      el("td", null, e.message_type), el("td", null, e.consumer), el("td", null, e.subject), el("td", null, e.reason), el("td", null, when(e.refused_at))))));
}

function render(status) {
  renderChampion(status);
  renderGenerations(status);
  renderEvaluations(status);
  renderPromotions(status);
  renderSites(status);
  renderNightly(status);
  renderCrops(status);
  renderSecurity(status);
  document.getElementById("catalog").textContent = `catalog: ${status.catalog}${status.exists ? "" : " (not created yet: the roles create it with their first event)"}`;
}

async function refresh() {
  const connection = document.getElementById("connection");
  try {
    const response = await fetch("api/status", { cache: "no-store" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const status = await response.json();
    render(status);
    await refreshLoss(status);
    connection.className = "connection";
    connection.dataset.lastGood = new Date().toLocaleTimeString();
    connection.textContent = `live · updated ${connection.dataset.lastGood}`;
    document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
  } catch (error) {
    // The last figures stay on the page, marked as no longer current.
    connection.className = "connection down";
    connection.textContent = `the dashboard did not answer (${error.message}); showing the figures of ${connection.dataset.lastGood || "no earlier read"}`;
  } finally {
    setTimeout(refresh, refreshMs);
  }
}

refresh();

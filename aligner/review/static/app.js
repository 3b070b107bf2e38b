// The review page: state, filters, paging, edits and the keyboard.
import { RequestError, downloadUrl, getDocument, getFormats, post } from "./api.js";
import { Doc } from "./model.js";
import { render } from "./view.js";

const PAGE = 100;
const $ = (id) => document.getElementById(id);

let doc = null;
let view = [];        // indices of the beads that pass the filters
let page = 0;
let busy = false;
const ui = { current: 0, side: "src", sentence: 0, split: null, editing: false, low: 0.8 };

function status(message, isError = false) {
  const bar = $("status");
  bar.textContent = message;
  bar.classList.toggle("error", isError);
}

function filters() {
  return {
    query: $("search").value,
    side: $("search-side").value,
    maxScore: Number($("max-score").value),
    kind: $("type-filter").value,
    confirmed: $("confirmed-filter").value,
  };
}

function refilter() {
  view = doc.filter(filters());
  const position = view.indexOf(ui.current);
  if (position >= 0) page = Math.floor(position / PAGE);
  page = Math.min(page, Math.max(0, Math.ceil(view.length / PAGE) - 1));
}

function header() {
  const { total, confirmed, doubtful } = doc.stats(ui.low);
  document.body.dataset.revision = busy ? "" : doc.revision;
  $("doc-name").textContent = doc.name;
  $("stats").textContent = `${total} beads · ${confirmed} confirmed · ${doubtful} low-confidence`;
  $("undo").disabled = !doc.undoAction;
  $("redo").disabled = !doc.redoAction;
  $("undo").title = doc.undoAction ? `Undo ${doc.undoAction} (Ctrl+Z)` : "Nothing to undo";
  $("redo").title = doc.redoAction ? `Redo ${doc.redoAction} (Ctrl+Y)` : "Nothing to redo";
  $("saved").textContent = doc.dirty ? "unsaved changes" : `saved in ${doc.path}`;
  const first = view.length ? page * PAGE + 1 : 0;
  const last = Math.min(view.length, (page + 1) * PAGE);
  const filtered = view.length === doc.beads.length ? "" : ` (filtered from ${doc.beads.length})`;
  $("page-info").textContent = `${first}–${last} of ${view.length}${filtered}`;
}

function draw(scroll = true) {
  render($("beads"), doc, view.slice(page * PAGE, (page + 1) * PAGE), ui);
  header();
  if (scroll) {
    const row = $("beads").querySelector("section.current");
    if (row) row.scrollIntoView({ block: "nearest" });
  }
  const editor = $("beads").querySelector("textarea.editor");
  if (editor) {
    editor.focus();
    editor.setSelectionRange(editor.value.length, editor.value.length);
  }
}

function bead() {
  return doc.beads[ui.current];
}

function sideIds(side = ui.side) {
  return bead() ? doc.ids(bead(), side) : [];
}

function select(index, keepSide = true) {
  if (index < 0 || index >= doc.beads.length) return;
  ui.current = index;
  ui.split = null;
  ui.editing = false;
  if (!keepSide || !sideIds().length) ui.side = sideIds("src").length ? "src" : "tgt";
  ui.sentence = Math.min(ui.sentence, Math.max(0, sideIds().length - 1));
  const position = view.indexOf(index);
  if (position >= 0) page = Math.floor(position / PAGE);
  draw();
}

function step(delta) {
  const position = view.indexOf(ui.current);
  const next = position < 0 ? view.find((i) => i > ui.current) : view[position + delta];
  if (next !== undefined) select(next);
}

function nextDoubtful(delta) {
  const count = doc.beads.length;
  for (let k = 1; k <= count; k += 1) {
    const index = (ui.current + delta * k + count) % count;
    const candidate = doc.beads[index];
    if (!candidate[3] && candidate[2] < ui.low) {
      if (!view.includes(index)) resetFilters();
      select(index, false);
      return;
    }
  }
  status("No unconfirmed bead scores below the low-confidence mark.");
}

function resetFilters() {
  $("search").value = "";
  $("max-score").value = 1;
  $("type-filter").value = "";
  $("confirmed-filter").value = "";
  refilter();
}

async function request(path, payload, place) {
  if (busy) return;
  busy = true;
  const started = performance.now();
  try {
    const change = await post(path, { ...payload, revision: doc.revision });
    doc.patch(change);
    if (place) place(change);
    ui.current = Math.min(ui.current, doc.beads.length - 1);
    ui.split = null;
    ui.editing = false;
    ui.sentence = Math.min(ui.sentence, Math.max(0, sideIds().length - 1));
    refreshTypes();
    refilter();
    draw();
    status(`${path === "edit" ? "" : `${path}: `}${change.action} (${Math.round(performance.now() - started)} ms)`);
  } catch (error) {
    status(error.message, true);
    if (error instanceof RequestError && error.status === 409) await load();
  } finally {
    busy = false;
    header();
  }
}

function edit(op, fields, place = (change) => { ui.current = change.focus; }) {
  return request("edit", { op, ...fields }, place);
}

const keepPlace = () => {};

const actions = {
  "merge-next": () => edit("merge", { bead: ui.current, next: true }),
  "merge-prev": () => edit("merge", { bead: ui.current, next: false }),
  split: () => {
    const sizes = { src: sideIds("src").length, tgt: sideIds("tgt").length };
    ui.split = { src: Math.ceil(sizes.src / 2), tgt: Math.ceil(sizes.tgt / 2), side: ui.side };
    draw();
    status("Split: ↑/↓ move the cut, ←/→ change side, Enter splits, Esc cancels.");
  },
  "confirm": () => edit("confirm", { bead: ui.current, confirmed: !bead()[3] }, keepPlace),
  "confirm-through": () => edit("confirm_through", { bead: ui.current }, keepPlace),
  "move-next": () => edit("move", { bead: ui.current, side: ui.side, next: true }),
  "move-prev": () => edit("move", { bead: ui.current, side: ui.side, next: false },
    (change) => { ui.current = change.focus + (change.own === 2 ? 1 : 0); }),
  unalign: () => {
    const sentence = sideIds()[ui.sentence];
    if (sentence !== undefined) edit("unalign", { bead: ui.current, side: ui.side, sentence });
  },
  edit: () => {
    if (!sideIds().length) return;
    ui.editing = true;
    draw();
  },
  undo: () => request("undo", {}, (change) => { ui.current = change.focus; }),
  redo: () => request("redo", {}, (change) => { ui.current = change.focus; }),
};

function applySplit() {
  const { src, tgt } = ui.split;
  edit("split", { bead: ui.current, src_cut: src, tgt_cut: tgt });
}

function commitText() {
  const box = $("beads").querySelector("textarea.editor");
  const sentence = sideIds()[ui.sentence];
  const text = box.value.replace(/\s*\n\s*/g, " ");
  if (text === doc.texts[ui.side][sentence]) {
    ui.editing = false;
    draw();
    return;
  }
  edit("edit_text", { bead: ui.current, side: ui.side, sentence, text }, keepPlace);
}

async function save() {
  try {
    doc.setState(await post("save"));
    header();
    status(`Saved ${doc.path}.`);
  } catch (error) {
    status(error.message, true);
  }
}

function fetchFile(path, params) {
  const link = document.createElement("a");
  link.href = downloadUrl(path, params);
  link.download = "";
  document.body.append(link);
  link.click();
  link.remove();
  status(`Downloading ${path}…`);
}

function exportFile() {
  fetchFile("export", {
    format: $("export-format").value,
    confirmed_only: $("confirmed-only").checked ? "1" : "0",
  });
}

function triageFile() {
  fetchFile("triage", { format: $("export-format").value, min_score: $("triage-score").value });
}

function glossaryFile() {
  fetchFile("glossary", { format: $("glossary-format").value });
}

function splitKeys(event) {
  const split = ui.split;
  const size = (side) => sideIds(side).length;
  const keys = {
    ArrowUp: () => { split[split.side] = Math.max(0, split[split.side] - 1); },
    ArrowDown: () => { split[split.side] = Math.min(size(split.side), split[split.side] + 1); },
    ArrowLeft: () => { split.side = "src"; },
    ArrowRight: () => { split.side = "tgt"; },
    Escape: () => { ui.split = null; status(""); },
  };
  if (event.key === "Enter") {
    event.preventDefault();
    applySplit();
    return;
  }
  if (keys[event.key]) {
    event.preventDefault();
    keys[event.key]();
    draw();
  }
}

function onKey(event) {
  const target = event.target;
  if (ui.editing) {
    if (event.key === "Escape") { ui.editing = false; draw(); }
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); commitText(); }
    return;
  }
  const ctrl = event.ctrlKey || event.metaKey;
  if (ctrl && event.key.toLowerCase() === "s") { event.preventDefault(); save(); return; }
  if (ctrl && event.key.toLowerCase() === "z") {
    event.preventDefault();
    (event.shiftKey ? actions.redo : actions.undo)();
    return;
  }
  if (ctrl && event.key.toLowerCase() === "y") { event.preventDefault(); actions.redo(); return; }
  if (target.matches("input, select, textarea") || ctrl || event.altKey) {
    if (event.key === "Escape") target.blur();
    return;
  }
  if (ui.split) { splitKeys(event); return; }
  const keys = {
    j: () => step(1), ArrowDown: () => (event.shiftKey ? actions["move-next"]() : step(1)),
    k: () => step(-1), ArrowUp: () => (event.shiftKey ? actions["move-prev"]() : step(-1)),
    n: () => nextDoubtful(1), N: () => nextDoubtful(-1),
    ArrowLeft: () => { ui.side = "src"; ui.sentence = 0; draw(); },
    ArrowRight: () => { ui.side = "tgt"; ui.sentence = 0; draw(); },
    ",": () => { ui.sentence = Math.max(0, ui.sentence - 1); draw(); },
    ".": () => { ui.sentence = Math.min(sideIds().length - 1, ui.sentence + 1); draw(); },
    m: actions["merge-next"], M: actions["merge-prev"], s: actions.split,
    u: actions.unalign, c: actions.confirm, " ": actions.confirm, C: actions["confirm-through"],
    e: actions.edit, Enter: actions.edit, x: exportFile, t: triageFile, g: glossaryFile,
    "/": () => $("search").focus(),
    PageDown: () => turn(1), PageUp: () => turn(-1),
    "?": () => $("help").showModal(),
  };
  const handler = keys[event.key];
  if (handler) {
    event.preventDefault();
    handler();
  }
}

function turn(delta) {
  const pages = Math.max(1, Math.ceil(view.length / PAGE));
  page = Math.min(pages - 1, Math.max(0, page + delta));
  const first = view[page * PAGE];
  if (first !== undefined) ui.current = first;
  draw();
  $("beads").scrollTop = 0;
}

function onClick(event) {
  const row = event.target.closest("section.bead");
  if (!row) return;
  const index = Number(row.dataset.index);
  const sentence = event.target.closest("p.sentence");
  const cut = event.target.closest("div.cut");
  if (index !== ui.current) {
    ui.current = index;
    ui.split = null;
    ui.editing = false;
  }
  if (sentence && !ui.editing) {
    ui.side = sentence.dataset.side;
    ui.sentence = Number(sentence.dataset.position);
    if (ui.split) {
      ui.split.side = ui.side;
      ui.split[ui.side] = ui.sentence + 1;
    }
  }
  if (cut) ui.split.side = cut.dataset.side;
  const button = event.target.closest("button[data-action]");
  if (button) {
    actions[button.dataset.action]();
    return;
  }
  draw(false);
}

function refreshTypes() {
  const select = $("type-filter");
  const chosen = select.value;
  const options = doc.kinds().map((kind) => new Option(kind, kind));
  select.replaceChildren(new Option("all types", ""), ...options);
  select.value = doc.kinds().includes(chosen) ? chosen : "";
}

async function load() {
  doc = new Doc(await getDocument());
  const names = { zh: "Chinese", en: "English" };
  $("src-head").textContent = `source · ${names[doc.srcLang]}`;
  $("tgt-head").textContent = `target · ${names[doc.tgtLang]}`;
  document.title = `${doc.name} · aligner review`;
  ui.current = Math.min(ui.current, doc.beads.length - 1);
  refreshTypes();
  refilter();
  draw(false);
}

function wire() {
  const onFilter = () => { page = 0; refilter(); draw(false); };
  for (const id of ["search", "search-side", "max-score", "type-filter", "confirmed-filter"]) {
    $(id).addEventListener("input", onFilter);
  }
  $("search").addEventListener("search", onFilter);  // Esc clears a search box without "input"
  $("low-score").addEventListener("input", () => { ui.low = Number($("low-score").value); draw(false); });
  $("prev-page").addEventListener("click", () => turn(-1));
  $("next-page").addEventListener("click", () => turn(1));
  $("undo").addEventListener("click", actions.undo);
  $("redo").addEventListener("click", actions.redo);
  $("save").addEventListener("click", save);
  $("export").addEventListener("click", exportFile);
  $("triage").addEventListener("click", triageFile);
  $("glossary").addEventListener("click", glossaryFile);
  $("help-button").addEventListener("click", () => $("help").showModal());
  $("beads").addEventListener("click", onClick);
  $("beads").addEventListener("dblclick", (event) => {
    if (event.target.closest("p.sentence") && !ui.editing) actions.edit();
  });
  document.addEventListener("keydown", onKey);
  window.addEventListener("beforeunload", (event) => {
    if (doc && doc.dirty) event.preventDefault();
  });
}

async function loadFormats() {
  const formats = await getFormats();
  $("export-format").replaceChildren(...formats.map((name) => new Option(name, name)));
  $("export-format").value = formats.includes("tmx") ? "tmx" : formats[0];
}

wire();
load().then(
  () => {
    status("Ready. Press ? for the keyboard; n jumps to the next low-confidence bead.");
    return loadFormats();
  },
).catch((error) => status(`Cannot load the document: ${error.message}`, true));

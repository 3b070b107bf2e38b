// Drawing one page of beads. Text goes in through textContent only, never as HTML.

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function band(score, low) {
  if (score >= 0.9) return "band-high";
  if (score >= low) return "band-mid";
  return "band-low";
}

const TOOLS = [
  ["merge-prev", "⤒ merge", "Merge with the previous bead (Shift+M)"],
  ["merge-next", "⤓ merge", "Merge with the next bead (m)"],
  ["split", "✂ split", "Split this bead (s)"],
  ["confirm-through", "✓ down to here", "Confirm every bead down to this one (Shift+C)"],
];
const SENTENCE_TOOLS = [
  ["move-prev", "↑", "Move to the previous bead (Shift+↑)"],
  ["move-next", "↓", "Move to the next bead (Shift+↓)"],
  ["unalign", "unalign", "Mark this sentence unaligned (u)"],
  ["edit", "edit", "Edit the text (e)"],
];

function toolbar(tools, className) {
  const bar = element("div", className);
  for (const [action, label, title] of tools) {
    const button = element("button", "tool", label);
    button.dataset.action = action;
    button.title = title;
    bar.append(button);
  }
  return bar;
}

function sideCell(doc, bead, side, ui, isCurrent) {
  const cell = element("div", `side ${side}`);
  cell.lang = side === "src" ? doc.srcLang : doc.tgtLang;
  const ids = doc.ids(bead, side);
  if (!ids.length) {
    cell.append(element("p", "missing", "— no translation —"));
    return cell;
  }
  const splitting = isCurrent && ui.split;
  ids.forEach((id, position) => {
    if (splitting && ui.split[side] === position) cell.append(cutLine(side, ui));
    const selected = isCurrent && ui.side === side && ui.sentence === position;
    const text = doc.texts[side][id];
    const sentence = element("p", `sentence${selected ? " selected" : ""}${text ? "" : " empty"}`);
    sentence.dataset.side = side;
    sentence.dataset.position = position;
    if (selected && ui.editing) {
      const box = element("textarea", "editor");
      box.value = text;
      sentence.append(box);
    } else {
      sentence.textContent = text || "(empty)";
    }
    cell.append(sentence);
    if (selected && !ui.editing && !splitting) cell.append(toolbar(SENTENCE_TOOLS, "sentence-tools"));
  });
  if (splitting && ui.split[side] === ids.length) cell.append(cutLine(side, ui));
  return cell;
}

function cutLine(side, ui) {
  const line = element("div", `cut${ui.split.side === side ? " active" : ""}`, "✂ split here");
  line.dataset.side = side;
  return line;
}

function beadRow(doc, index, ui) {
  const bead = doc.beads[index];
  const [src, tgt, score, confirmed, edited] = bead;
  const isCurrent = index === ui.current;
  const classes = ["bead", band(score, ui.low)];
  if (confirmed) classes.push("confirmed");
  if (edited) classes.push("edited");
  if (!src.length || !tgt.length) classes.push("unaligned");
  if (isCurrent) classes.push("current");
  const row = element("section", classes.join(" "));
  row.dataset.index = index;

  const gutter = element("div", "gutter");
  gutter.append(element("span", "index", `#${index + 1}`));
  gutter.append(element("span", "kind", !src.length || !tgt.length ? `${doc.kind(bead)} unaligned` : doc.kind(bead)));
  const scoreBadge = element("span", "score", score.toFixed(2));
  scoreBadge.title = edited ? "shaped by the reviewer" : "confidence";
  gutter.append(scoreBadge);
  const check = element("button", `confirm${confirmed ? " on" : ""}`, confirmed ? "✓ confirmed" : "confirm");
  check.dataset.action = "confirm";
  check.title = "Confirm or unconfirm (c)";
  gutter.append(check);
  if (edited) gutter.append(element("span", "flag", "edited"));
  if (isCurrent && !ui.split) gutter.append(toolbar(TOOLS, "bead-tools"));
  if (isCurrent && ui.split) gutter.append(element("span", "hint", "↑↓ cut · ←→ side · Enter split · Esc"));

  row.append(gutter, sideCell(doc, bead, "src", ui, isCurrent), sideCell(doc, bead, "tgt", ui, isCurrent));
  return row;
}

/** Replace the list with the beads `indices` (one page of the filtered view). */
export function render(container, doc, indices, ui) {
  const rows = indices.map((index) => beadRow(doc, index, ui));
  if (!rows.length) rows.push(element("p", "empty-view", "No bead matches the filters."));
  container.replaceChildren(...rows);
}

/** Redraw one bead in place, if it is on the page. */
export function renderOne(container, doc, index, ui) {
  const old = container.querySelector(`section.bead[data-index="${index}"]`);
  if (old) old.replaceWith(beadRow(doc, index, ui));
}

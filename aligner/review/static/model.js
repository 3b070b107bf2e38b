// The document as the page holds it: texts, beads, and which beads the filters show.
// A bead is [srcIds, tgtIds, score, confirmed, edited], as the server sends it.

export class Doc {
  constructor(data) {
    this.name = data.name;
    this.srcLang = data.src_lang;
    this.tgtLang = data.tgt_lang;
    this.texts = { src: data.src, tgt: data.tgt };
    this.beads = data.beads;
    this.setState(data);
  }

  setState(state) {
    this.revision = state.revision;
    this.dirty = state.dirty;
    this.undoAction = state.undo;
    this.redoAction = state.redo;
    this.path = state.path;
  }

  /** Apply a server patch; returns nothing, the caller re-filters. */
  patch(change) {
    this.beads.splice(change.start, change.remove, ...change.beads);
    for (const [side, id, text] of change.texts) this.texts[side][id] = text;
    this.setState(change);
  }

  ids(bead, side) {
    return side === "src" ? bead[0] : bead[1];
  }

  kind(bead) {
    return `${bead[0].length}-${bead[1].length}`;
  }

  text(bead, side) {
    return this.ids(bead, side).map((id) => this.texts[side][id]).join(" ");
  }

  kinds() {
    return [...new Set(this.beads.map((bead) => this.kind(bead)))].sort();
  }

  /** Indices of the beads that pass the filters, in document order. */
  filter({ query, side, maxScore, kind, confirmed }) {
    const needle = query.trim().toLowerCase();
    const shown = [];
    this.beads.forEach((bead, index) => {
      if (bead[2] > maxScore && !(maxScore >= 1)) return;
      if (kind && this.kind(bead) !== kind) return;
      if (confirmed === "yes" && !bead[3]) return;
      if (confirmed === "no" && bead[3]) return;
      if (needle) {
        const sides = side === "both" ? ["src", "tgt"] : [side];
        if (!sides.some((s) => this.text(bead, s).toLowerCase().includes(needle))) return;
      }
      shown.push(index);
    });
    return shown;
  }

  stats(low) {
    let confirmed = 0;
    let doubtful = 0;
    for (const bead of this.beads) {
      if (bead[3]) confirmed += 1;
      else if (bead[2] < low) doubtful += 1;
    }
    return { total: this.beads.length, confirmed, doubtful };
  }
}

/* Pith content script: find a passage in the page across element boundaries, scroll to it, highlight it. */
"use strict";

(() => {
  if (globalThis.__pithHighlighter) return;

  const NAME = "pith";
  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA", "SELECT", "OPTION", "svg", "SVG"]);
  // Characters that differ between a page and its clean text without changing a word: dropped or folded alike.
  const DROP = /[\s\u00AD\u200B-\u200D\u2060\uFEFF]/;
  const FOLD = new Map([
    ..."\u2018\u2019\u201A\u201B\u2032\u2039\u203A".split("").map((c) => [c, "'"]),
    ..."\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB".split("").map((c) => [c, '"']),
    ..."\u2010\u2011\u2012\u2013\u2014\u2015\u2212".split("").map((c) => [c, "-"]),
    ["\u2026", "..."],
  ]);

  let current = null; // {key, ranges}

  function fold(ch) {
    if (DROP.test(ch)) return "";
    return FOLD.get(ch) ?? ch;
  }

  function foldText(text) {
    let out = "";
    for (const ch of text.normalize("NFC")) out += fold(ch);
    return out;
  }

  /** Every visible-candidate text node in reading order, as one folded string with a map back to (node, offset). */
  function buildIndex() {
    const nodes = [];
    const nodeOf = [];
    const offsetOf = [];
    let flat = "";
    const root = document.body ?? document.documentElement;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode(node) {
        for (let el = node.parentElement; el && el !== root; el = el.parentElement) {
          if (SKIP.has(el.tagName)) return NodeFilter.FILTER_REJECT;
        }
        return node.data.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
      },
    });
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const n = nodes.push(node) - 1;
      const data = node.data;
      for (let i = 0; i < data.length; i++) {
        const piece = fold(data[i]);
        for (let k = 0; k < piece.length; k++) {
          flat += piece[k];
          nodeOf.push(n);
          offsetOf.push(i);
        }
      }
    }
    return { nodes, nodeOf, offsetOf, flat };
  }

  function rangeAt(index, start, end) {
    const range = document.createRange();
    const startNode = index.nodes[index.nodeOf[start]];
    const endNode = index.nodes[index.nodeOf[end - 1]];
    range.setStart(startNode, index.offsetOf[start]);
    range.setEnd(endNode, Math.min(endNode.data.length, index.offsetOf[end - 1] + 1));
    return range;
  }

  function visible(range) {
    return Array.from(range.getClientRects()).some((r) => r.width > 0 && r.height > 0);
  }

  /** Where a needle sits in the folded page text: [start, end) or null; prefers a visible occurrence. */
  function locate(index, text) {
    const needle = foldText(text);
    if (!needle) return null;
    const hits = [];
    for (let at = index.flat.indexOf(needle); at !== -1 && hits.length < 20; at = index.flat.indexOf(needle, at + 1)) {
      hits.push([at, at + needle.length]);
    }
    if (!hits.length && needle.length > 80) {
      // The middle may differ (an inline ad, a rewritten character): anchor on both ends instead.
      const head = needle.slice(0, 40);
      const tail = needle.slice(-40);
      for (let at = index.flat.indexOf(head); at !== -1 && hits.length < 20; at = index.flat.indexOf(head, at + 1)) {
        const endAt = index.flat.indexOf(tail, at + head.length);
        if (endAt !== -1 && endAt + tail.length - at <= needle.length * 1.5) hits.push([at, endAt + tail.length]);
      }
    }
    for (const [s, e] of hits) {
      if (visible(rangeAt(index, s, e))) return [s, e];
    }
    return hits[0] ?? null;
  }

  function clear() {
    if (globalThis.CSS?.highlights) CSS.highlights.delete(NAME);
    if (current?.method === "selection") globalThis.getSelection()?.removeAllRanges();
    current = null;
  }

  function show(key, texts) {
    clear();
    const index = buildIndex();
    const ranges = [];
    for (const text of texts) {
      const at = locate(index, text);
      if (at) ranges.push(rangeAt(index, at[0], at[1]));
    }
    if (!ranges.length) return { found: 0, total: texts.length, active: false };
    let method;
    if (globalThis.CSS?.highlights && typeof globalThis.Highlight === "function") {
      CSS.highlights.set(NAME, new Highlight(...ranges));
      method = "highlight";
    } else {
      const selection = globalThis.getSelection();
      selection.removeAllRanges();
      selection.addRange(ranges[0]);
      method = "selection";
    }
    current = { key, ranges, method };
    const target = ranges[0].startContainer.parentElement;
    const smooth = !globalThis.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
    target?.scrollIntoView({ block: "center", inline: "nearest", behavior: smooth ? "smooth" : "auto" });
    return { found: ranges.length, total: texts.length, active: true, method };
  }

  /** A click in the popup: highlight `texts`, or clear when the same item is clicked again. */
  function toggle(key, texts) {
    if (current && current.key === key) {
      clear();
      return { found: 0, total: texts.length, active: false, cleared: true };
    }
    return show(key, texts);
  }

  document.addEventListener(
    "keydown",
    (event) => {
      if (event.key === "Escape" && current) clear();
    },
    true,
  );

  globalThis.__pithHighlighter = Object.freeze({ toggle, clear, foldText });
})();

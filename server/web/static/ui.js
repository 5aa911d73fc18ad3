// What the web page's scripts share: the reader's language (de or en) and two DOM helpers.
"use strict";

window.PithUI = (() => {
  const langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || "en"];
  const LANG = String(langs[0] || "en").toLowerCase().startsWith("de") ? "de" : "en";
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  return Object.freeze({ LANG, $, el });
})();

// Pith's Library view: search the quotes of every page digested here, by words, speaker, site and date;
// each result opens the kept digest with its quote highlighted. Also links each speaker of a digest to their quotes.
"use strict";

(() => {
  const TOKEN_KEY = "pith.apiToken";
  const DEBOUNCE_MS = 250; // typing pauses this long before autocomplete or search asks the server
  const PAGE = 20;

  const I18N = {
    en: {
      navDigest: "Digest", navLibrary: "Library", heading: "Library: who said what",
      qLabel: "Words of the quote", qPlaceholder: "e.g. budget or tax*", speakerLabel: "Speaker",
      speakerPlaceholder: "a name", siteLabel: "Site", sinceLabel: "Kept since", untilLabel: "until",
      search: "Search", more: "More", none: "No quotes found.", count: (n) => `${n} quotes`,
      kept: (d) => `kept ${d}`, open: "Open the kept page", bySpeaker: (n) => `Quotes of ${n}`,
      speakerQuotes: "their quotes", unknownSpeaker: "unknown speaker", untitled: "Untitled",
      token: "This server needs an API token: digest a page once to enter it.", network: "The server could not be reached.",
      off: "The library is off on this server.", clear: "Forget everything", cleared: "The library is empty.",
      confirmClear: "Forget every page kept in this library?",
    },
    de: {
      navDigest: "Auswerten", navLibrary: "Bibliothek", heading: "Bibliothek: Wer hat was gesagt",
      qLabel: "Wörter des Zitats", qPlaceholder: "z. B. Budget oder Steuer*", speakerLabel: "Person",
      speakerPlaceholder: "ein Name", siteLabel: "Website", sinceLabel: "Gespeichert seit", untilLabel: "bis",
      search: "Suchen", more: "Mehr", none: "Keine Zitate gefunden.", count: (n) => `${n} Zitate`,
      kept: (d) => `gespeichert ${d}`, open: "Gespeicherte Seite öffnen", bySpeaker: (n) => `Zitate von ${n}`,
      speakerQuotes: "ihre Zitate", unknownSpeaker: "unbekannt", untitled: "Ohne Titel",
      token: "Dieser Server braucht ein API-Token: Werte einmal eine Seite aus, um es einzugeben.",
      network: "Der Server ist nicht erreichbar.", off: "Die Bibliothek ist auf diesem Server ausgeschaltet.",
      clear: "Alles vergessen", cleared: "Die Bibliothek ist leer.",
      confirmClear: "Alle Seiten dieser Bibliothek vergessen?",
    },
  };
  const { LANG, $, el } = window.PithUI;
  const T = I18N[LANG];

  let cursor = null;
  let searchTimer = null;
  let speakerTimer = null;
  let generation = 0; // answers to older searches are dropped

  function token() {
    try { return window.localStorage.getItem(TOKEN_KEY); } catch (_) { return null; }
  }

  async function api(path, options = {}) {
    const headers = { Accept: "application/json" };
    const t = token();
    if (t) headers.Authorization = `Bearer ${t}`;
    let response;
    try {
      response = await fetch(path, { ...options, headers });
    } catch (_) {
      return { error: T.network };
    }
    if (response.status === 204) return { ok: true };
    const body = await response.json().catch(() => null);
    if (response.status === 401) return { error: T.token };
    if (response.status === 404 && path.startsWith("/api/v1/quotes")) return { error: T.off };
    if (!response.ok || !body) return { error: (body && body.error && body.error.message) || `HTTP ${response.status}` };
    return { body };
  }

  function fmtDay(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso || "";
    try { return d.toLocaleDateString(LANG, { year: "numeric", month: "short", day: "numeric" }); } catch (_) { return iso; }
  }

  function params() {
    const p = new URLSearchParams();
    for (const [name, id] of [["q", "library-q"], ["speaker", "library-speaker"], ["site", "library-site"],
      ["since", "library-since"], ["until", "library-until"]]) {
      const value = $(id).value.trim();
      if (value) p.set(name, value);
    }
    p.set("limit", String(PAGE));
    return p;
  }

  function showError(message) {
    const box = $("library-error");
    box.textContent = message || "";
    box.hidden = !message;
  }

  function resultItem(q) {
    const li = el("li", "library-quote");
    li.append(el("q", "library-text", q.text));
    const line = el("p", "library-meta");
    const who = el("button", "library-speaker", q.speaker || T.unknownSpeaker);
    who.type = "button";
    who.disabled = !q.speaker;
    who.addEventListener("click", () => { $("library-speaker").value = q.speaker; search(); });
    const open = el("a", "library-open", q.page.title || q.page.site || T.untitled);
    open.href = `#kept=${encodeURIComponent(q.page.id)}&quote=${encodeURIComponent(q.index ?? 0)}`;
    open.title = T.open;
    line.append(who, " · ", open, ` · ${[q.page.site, T.kept(fmtDay(q.kept_at))].filter(Boolean).join(" · ")}`);
    li.append(line);
    return li;
  }

  async function search(more = false) {
    const mine = ++generation;
    const p = params();
    if (more && cursor) p.set("cursor", cursor);
    const { body, error } = await api(`/api/v1/quotes?${p}`);
    if (mine !== generation) return;
    const list = $("library-results");
    if (!more) list.replaceChildren();
    showError(error);
    if (error) { $("library-more").hidden = true; return; }
    for (const q of body.quotes) list.append(resultItem(q));
    if (!list.children.length) list.append(el("li", "hint", T.none));
    cursor = body.next_cursor;
    $("library-more").hidden = !cursor;
    $("library-status").textContent = list.querySelector(".library-quote") ? T.count(list.querySelectorAll(".library-quote").length) : "";
  }

  function debouncedSearch() {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => search(), DEBOUNCE_MS);
  }

  async function completeSpeakers() {
    const prefix = $("library-speaker").value.trim();
    const { body } = await api(`/api/v1/speakers?${new URLSearchParams({ prefix, limit: "10" })}`);
    const list = $("library-speakers");
    list.replaceChildren();
    for (const s of (body && body.speakers) || []) {
      const option = el("option");
      option.value = s.name;
      option.label = `${s.name} (${s.quotes})`;
      list.append(option);
    }
  }

  async function openKept(id, index) {
    const { body, error } = await api(`/api/v1/library/${encodeURIComponent(id)}`);
    if (error || !window.PithPage) { showError(error || T.network); return; }
    show("digest");
    window.PithPage.render(body);
    const buttons = document.querySelectorAll("#quotes button.quote");
    const chosen = buttons[Number(index)] || null;
    if (chosen) chosen.click();
  }

  async function clearAll() {
    if (!window.confirm(T.confirmClear)) return;
    const { error } = await api("/api/v1/library", { method: "DELETE" });
    showError(error);
    if (!error) { $("library-results").replaceChildren(el("li", "hint", T.cleared)); $("library-more").hidden = true; }
  }

  function show(view) {
    const library = view === "library";
    $("library").hidden = !library;
    $("digest-form").hidden = library;
    if (library) $("result").hidden = true;
    $("nav-library").setAttribute("aria-current", library ? "page" : "false");
    $("nav-digest").setAttribute("aria-current", library ? "false" : "page");
  }

  function route() {
    const hash = window.location.hash.replace(/^#/, "");
    const kept = /^kept=(\d+)(?:&quote=(\d+))?$/.exec(hash);
    if (kept) { openKept(kept[1], kept[2] || 0); return; }
    if (hash.startsWith("library")) {
      show("library");
      const query = new URLSearchParams(hash.slice("library".length).replace(/^\?/, ""));
      if (query.has("speaker")) $("library-speaker").value = query.get("speaker");
      if (query.has("q")) $("library-q").value = query.get("q");
      search();
      return;
    }
    show("digest");
  }

  // Every quote of a digest gets a link to its speaker's quotes in the library.
  function linkSpeakers() {
    for (const li of document.querySelectorAll("#quotes li")) {
      const button = li.querySelector("button.quote");
      const name = li.dataset.speaker;
      if (!button || !name || li.querySelector(".speaker-link")) continue;
      const link = el("a", "speaker-link", T.speakerQuotes);
      link.href = `#library?${new URLSearchParams({ speaker: name })}`;
      link.title = T.bySpeaker(name);
      li.append(link);
    }
  }

  function translate() {
    for (const node of document.querySelectorAll("[data-lib-i18n]")) node.textContent = T[node.dataset.libI18n];
    for (const node of document.querySelectorAll("[data-lib-placeholder]")) node.placeholder = T[node.dataset.libPlaceholder];
  }

  function init() {
    if (!$("library")) return;
    translate();
    $("library-form").addEventListener("submit", (event) => { event.preventDefault(); search(); });
    $("library-q").addEventListener("input", debouncedSearch);
    for (const id of ["library-site", "library-since", "library-until"]) $(id).addEventListener("change", () => search());
    // typing a name only completes it; choosing a name (or Enter) searches
    $("library-speaker").addEventListener("input", () => {
      clearTimeout(speakerTimer);
      speakerTimer = setTimeout(completeSpeakers, DEBOUNCE_MS);
    });
    $("library-speaker").addEventListener("change", () => search());
    $("library-more").addEventListener("click", () => search(true));
    $("library-clear").addEventListener("click", clearAll);
    new MutationObserver(linkSpeakers).observe($("quotes"), { childList: true });
    window.addEventListener("hashchange", route);
    route();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// Pith's web page: paste a link or a text, read the digest, see facts and quotes in the text.
"use strict";

(() => {
  const TOKEN_KEY = "pith.apiToken";
  const API = "/api/v1/digest";

  const I18N = {
    en: {
      skip: "Skip to the input",
      tagline: "The pith of a news page: summary, key facts and quotes with their speakers.",
      inputLabel: "Paste a link or the text of an article",
      placeholder: "https://… or the article's text",
      sentencesLabel: "Summary sentences",
      sentencesAuto: "auto",
      submit: "Digest",
      hint: "Ctrl+Enter also works.",
      tokenLabel: "This server needs an API token",
      tokenSave: "Save and retry",
      tokenHint: "The token is kept in this browser's local storage.",
      tokenWrong: "The server did not accept this token. Enter it again.",
      copy: "Copy as Markdown",
      copied: "Copied as Markdown.",
      copyFailed: "Copying failed; your browser did not allow it.",
      source: "Source",
      summary: "Summary",
      facts: "Key facts",
      quotes: "Quotes",
      text: "Article text",
      clickHint: "Choose a fact or a quote to see it in the text.",
      backToItem: "Back to the list",
      working: "Reading the page…",
      done: "Done.",
      empty: "Paste a link or a text first.",
      unknownSpeaker: "unknown speaker",
      partial: "fragment",
      minutes: (n) => `${n} min read`,
      words: (n) => `${n} words`,
      noneFacts: "No key facts found.",
      noneQuotes: "No quotes found.",
      untitled: "Untitled",
      network: "The server could not be reached.",
      typo: (link) => `This looks like a link with a typo: ${link}`,
      errors: {},
    },
    de: {
      skip: "Zur Eingabe springen",
      tagline: "Das Wesentliche einer Nachrichtenseite: Zusammenfassung, Kernfakten und Zitate mit Sprechern.",
      inputLabel: "Link oder Text eines Artikels einfügen",
      placeholder: "https://… oder der Text des Artikels",
      sentencesLabel: "Sätze in der Zusammenfassung",
      sentencesAuto: "automatisch",
      submit: "Auswerten",
      hint: "Strg+Enter geht auch.",
      tokenLabel: "Dieser Server braucht ein API-Token",
      tokenSave: "Speichern und erneut versuchen",
      tokenHint: "Das Token wird im lokalen Speicher dieses Browsers abgelegt.",
      tokenWrong: "Der Server hat dieses Token nicht angenommen. Bitte erneut eingeben.",
      copy: "Als Markdown kopieren",
      copied: "Als Markdown kopiert.",
      copyFailed: "Kopieren fehlgeschlagen; der Browser hat es nicht erlaubt.",
      source: "Quelle",
      summary: "Zusammenfassung",
      facts: "Kernfakten",
      quotes: "Zitate",
      text: "Artikeltext",
      clickHint: "Wähle einen Fakt oder ein Zitat, um es im Text zu sehen.",
      backToItem: "Zurück zur Liste",
      working: "Die Seite wird gelesen …",
      done: "Fertig.",
      empty: "Bitte zuerst einen Link oder einen Text einfügen.",
      unknownSpeaker: "unbekannt",
      partial: "Fragment",
      minutes: (n) => `${n} Min. Lesezeit`,
      words: (n) => `${n} Wörter`,
      noneFacts: "Keine Kernfakten gefunden.",
      noneQuotes: "Keine Zitate gefunden.",
      untitled: "Ohne Titel",
      network: "Der Server ist nicht erreichbar.",
      typo: (link) => `Das sieht nach einem Link mit Tippfehler aus: ${link}`,
      errors: {
        bad_request: "Die Anfrage ist ungültig.",
        blocked_address: "Diese Adresse darf nicht abgerufen werden.",
        unauthorized: "Ein gültiges API-Token ist nötig.",
        too_large: "Die Eingabe oder die Seite ist zu gross.",
        not_html: "Das ist weder eine HTML-Seite noch ein Text.",
        no_article: "Auf dieser Seite wurde kein Artikeltext gefunden.",
        rate_limited: "Zu viele Anfragen; bitte kurz warten.",
        upstream_error: "Der Server der Seite hat mit einem Fehler geantwortet.",
        fetch_failed: "Die Seite konnte nicht abgerufen werden.",
        fetch_timeout: "Das Abrufen der Seite hat zu lange gedauert.",
        internal: "Interner Fehler des Servers.",
      },
    },
  };

  const { LANG, $, el } = window.PithUI;
  const T = I18N[LANG];

  let current = null; // the digest shown
  let pending = null; // the request waiting for a token
  let units = (i) => i; // code point offset → UTF-16 index in current.text

  function storage(action, value) {
    try {
      if (action === "get") return window.localStorage.getItem(TOKEN_KEY);
      if (action === "set") window.localStorage.setItem(TOKEN_KEY, value);
    } catch (_) { /* storage may be disabled */ }
    return null;
  }

  function translate() {
    document.documentElement.lang = LANG;
    for (const node of document.querySelectorAll("[data-i18n]")) {
      const value = T[node.dataset.i18n];
      if (typeof value === "string") node.textContent = value;
    }
    for (const node of document.querySelectorAll("[data-i18n-placeholder]")) {
      node.placeholder = T[node.dataset.i18nPlaceholder];
    }
  }

  // The API's offsets count code points (Python); JS strings count UTF-16 units.
  function unitMapper(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i;
    const map = [];
    let u = 0;
    for (const ch of text) { map.push(u); u += ch.length; }
    map.push(u);
    return (i) => map[Math.max(0, Math.min(i, map.length - 1))];
  }

  function setStatus(message) { $("status").textContent = message || ""; }

  function showError(message) {
    const box = $("error");
    box.textContent = message || "";
    box.hidden = !message;
  }

  function busy(on) {
    $("submit").disabled = on;
    $("token-save").disabled = on;
    $("result").setAttribute("aria-busy", on ? "true" : "false");
    if (on) setStatus(T.working);
  }

  // One word that is almost a web address ("htps://x", "http:/x", "https//x"): a typo, not a text to digest.
  function looksLikeBrokenLink(raw) {
    if (/\s/.test(raw)) return false;
    return raw.includes("://") || /^https?:\/?[^/]/i.test(raw) || /^https?\/\//i.test(raw);
  }

  function buildPayload() {
    const raw = $("input").value.trim();
    if (!raw) return null;
    // "auto" (the default) sends no length: the server adapts the summary between 2 and 4 sentences
    const choice = $("sentences").value;
    const length = choice === "auto" ? {} : { sentences: Number(choice) };
    if (/^https?:\/\/\S+$/i.test(raw)) return { url: raw, ...length };
    if (looksLikeBrokenLink(raw)) return { typo: raw };
    return { text: raw, ...length };
  }

  async function request(payload) {
    if (payload.typo) { setStatus(""); showError(T.typo(payload.typo)); $("input").focus(); return; }
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    const token = storage("get");
    if (token) headers.Authorization = `Bearer ${token}`;
    busy(true);
    showError("");
    let response, body;
    try {
      const sent = JSON.stringify({ ...payload, include: ["markdown"] });
      response = await fetch(API, { method: "POST", headers, body: sent });
      body = await response.json().catch(() => null);
    } catch (_) {
      busy(false);
      setStatus("");
      showError(T.network);
      return;
    }
    busy(false);
    if (response.status === 401) {
      pending = payload;
      setStatus("");
      const form = $("token-form");
      const wasOpen = !form.hidden;
      form.hidden = false;
      if (token || wasOpen) showError(T.tokenWrong);
      $("token").focus();
      return;
    }
    if (!response.ok || !body || body.error) {
      setStatus("");
      const error = (body && body.error) || { code: "internal", message: `HTTP ${response.status}` };
      showError(T.errors[error.code] || error.message);
      return;
    }
    $("token-form").hidden = true;
    setStatus(T.done);
    render(body);
  }

  function formatDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m) return iso;
    const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    try {
      return date.toLocaleDateString(LANG, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
    } catch (_) {
      return iso;
    }
  }

  function safeUrl(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (_) {
      return null;
    }
  }

  // A fact's sentence with its figures in <strong>.
  function factContent(fact, text) {
    const frag = document.createDocumentFragment();
    let pos = fact.start;
    const figures = [...(fact.figures || [])].sort((a, b) => a.start - b.start);
    for (const fig of figures) {
      if (fig.start < pos || fig.end > fact.end) continue;
      frag.append(text.slice(units(pos), units(fig.start)));
      frag.append(el("strong", "figure", text.slice(units(fig.start), units(fig.end))));
      pos = fig.end;
    }
    frag.append(text.slice(units(pos), units(fact.end)));
    return frag;
  }

  function itemButton(cls, ranges, label) {
    const button = el("button", cls);
    button.type = "button";
    button.setAttribute("aria-pressed", "false");
    button.dataset.ranges = JSON.stringify(ranges);
    if (label) button.setAttribute("aria-label", label);
    button.addEventListener("click", () => select(button));
    return button;
  }

  function render(d) {
    current = d;
    units = unitMapper(d.text || "");
    const text = d.text || "";
    $("title").textContent = d.title || T.untitled;
    const meta = [d.site, d.author, d.date ? formatDate(d.date) : null, T.words(d.word_count),
                  T.minutes(d.reading_minutes)].filter(Boolean);
    $("meta").textContent = meta.join(" · ");
    const source = $("source");
    const href = d.url ? safeUrl(d.url) : null;
    source.hidden = !href;
    if (href) source.href = href; else source.removeAttribute("href");

    $("summary").textContent = (d.summary || []).map((s) => s.text).join(" ");
    $("summary-section").hidden = !(d.summary || []).length;

    const facts = $("facts");
    facts.replaceChildren();
    for (const fact of d.facts || []) {
      const button = itemButton("fact", [[fact.start, fact.end]]);
      button.append(factContent(fact, text));
      const li = el("li");
      li.append(button);
      facts.append(li);
    }
    if (!facts.children.length) facts.append(el("li", "hint", T.noneFacts));

    const quotes = $("quotes");
    quotes.replaceChildren();
    for (const quote of d.quotes || []) {
      const button = itemButton("quote", quote.spans || []);
      button.append(el("span", "quote-text", quote.text));
      const speaker = el("span", "quote-speaker", `— ${quote.speaker || T.unknownSpeaker}`);
      if (quote.partial) speaker.append(" ", el("span", "quote-partial", `(${T.partial})`));
      button.append(speaker);
      const li = el("li");
      if (quote.speaker) li.dataset.speaker = quote.speaker; // library.js links it to the speaker's quotes
      li.append(button);
      quotes.append(li);
    }
    if (!quotes.children.length) quotes.append(el("li", "hint", T.noneQuotes));

    renderText([]);
    $("result").hidden = false;
    $("title").setAttribute("tabindex", "-1");
    $("title").focus();
  }

  // The clean text, paragraph by paragraph, with the chosen ranges marked.
  function renderText(ranges) {
    const text = current ? current.text || "" : "";
    const box = $("text");
    box.replaceChildren();
    const marks = ranges.map(([s, e]) => [units(s), units(e)]).filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
    const paragraphs = [];
    const gap = /\n\s*\n/g;
    let pos = 0;
    for (let m = gap.exec(text); m; m = gap.exec(text)) {
      paragraphs.push([pos, m.index]);
      pos = m.index + m[0].length;
    }
    paragraphs.push([pos, text.length]);
    let first = null;
    for (const [ps, pe] of paragraphs) {
      if (pe <= ps) continue;
      const p = el("p");
      let cur = ps;
      for (const [rs, re] of marks) {
        const s = Math.max(rs, cur);
        const e = Math.min(re, pe);
        if (e <= s) continue;
        p.append(text.slice(cur, s));
        const mark = el("mark", "hl", text.slice(s, e));
        mark.title = T.backToItem;
        mark.addEventListener("click", backToItem);
        p.append(mark);
        first = first || mark;
        cur = e;
      }
      p.append(text.slice(cur, pe));
      box.append(p);
    }
    return first;
  }

  // Clicking a highlight goes back to the fact or quote it belongs to (long pages on phones).
  function backToItem() {
    const selected = document.querySelector("#facts button.selected, #quotes button.selected");
    if (!selected) return;
    selected.scrollIntoView({ block: "center" });
    selected.focus({ preventScroll: true });
  }

  function select(button) {
    for (const other of document.querySelectorAll("#facts button, #quotes button")) {
      other.classList.toggle("selected", other === button);
      other.setAttribute("aria-pressed", other === button ? "true" : "false");
    }
    const first = renderText(JSON.parse(button.dataset.ranges || "[]"));
    if (first) {
      const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      first.scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "center" });
    }
  }

  async function copyMarkdown() {
    if (!current || typeof current.markdown !== "string") return;
    const md = current.markdown; // the server's one Markdown rendering, asked for with include
    try {
      await navigator.clipboard.writeText(md);
      setStatus(T.copied);
    } catch (_) {
      const area = el("textarea");
      area.value = md;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.append(area);
      area.select();
      let ok = false;
      try { ok = document.execCommand("copy"); } catch (_) { ok = false; }
      area.remove();
      setStatus(ok ? T.copied : T.copyFailed);
    }
    $("copy-md").dataset.markdown = md;
  }

  function init() {
    translate();
    $("digest-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const payload = buildPayload();
      if (!payload) { showError(T.empty); $("input").focus(); return; }
      request(payload);
    });
    $("input").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        $("digest-form").requestSubmit();
      }
    });
    $("token-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const token = $("token").value.trim();
      if (!token) return;
      storage("set", token);
      $("token").value = "";
      request(pending || buildPayload() || { text: "" });
    });
    $("copy-md").addEventListener("click", copyMarkdown);
  }

  window.PithPage = { render: (d) => render(d) }; // library.js shows kept digests with the same view

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

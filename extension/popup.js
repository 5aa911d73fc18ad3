/* Pith popup: digest the active tab (or show a context-menu result), render it, highlight items in the page. */
"use strict";

(() => {
  const { ext } = globalThis.Pith;
  const t = globalThis.t;
  const $ = (id) => document.getElementById(id);
  const HIGHLIGHT_CSS = "::highlight(pith){background-color:#ffd54a;color:#111;text-decoration:underline 2px #e0a800}";

  const state = { digest: null, tabId: null, pageTitle: "", cssInjected: false };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Code-point offsets (the digest's, from Python) to UTF-16 indices; null when the text has no astral characters. */
  function codePointMap(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) return null;
    const map = [];
    let unit = 0;
    for (const ch of text) {
      map.push(unit);
      unit += ch.length;
    }
    map.push(unit);
    return map;
  }

  function slicer(text) {
    const map = codePointMap(text);
    const length = map ? map.length - 1 : text.length;
    const clamp = (i) => Math.max(0, Math.min(length, Math.trunc(Number(i) || 0)));
    return (s, e) => (map ? text.slice(map[clamp(s)], map[clamp(e)]) : text.slice(clamp(s), clamp(e)));
  }

  // ---------- states ----------

  function showLoading() {
    $("loading").hidden = false;
    $("error").hidden = true;
    $("error").replaceChildren();
    $("result").hidden = true;
    $("copy-markdown").disabled = true;
  }

  const ERRORS = {
    network: { msg: "errNetwork", hint: "errNetworkHint", options: true },
    timeout: { msg: "errTimeout", hint: "errTimeoutHint", options: true },
    unauthorized: { msg: "errUnauthorized", hint: "errUnauthorizedHint", options: true },
    too_large: { msg: "errTooLarge", hint: "errTooLargeHint" },
    no_article: { msg: "errNoArticle", hint: "errNoArticleHint" },
    restricted: { msg: "errRestricted", hint: "errRestrictedHint", noRetry: true },
    rate_limited: { msg: "errRateLimited", hint: "errRateLimitedHint" },
    bad_response: { msg: "errBadResponse", hint: "errNetworkHint", options: true },
    empty_selection: { msg: "errEmptySelection", hint: "errEmptySelectionHint", noRetry: true },
    job_missing: { msg: "errJobMissing", hint: "errJobMissingHint", noRetry: true },
  };

  /** The sentence for a failure and what to do about it. */
  function describeError(error) {
    let code = error.code;
    if (error.status === 401) code = "unauthorized";
    else if (error.status === 413) code = "too_large";
    else if (error.status === 422 && code !== "bad_request") code = "no_article";
    const known = ERRORS[code];
    if (known) {
      return {
        message: t(known.msg, [error.server ?? ""]),
        hint: t(known.hint),
        options: Boolean(known.options),
        retry: !known.noRetry,
      };
    }
    const detail = error.message || t("errStatus", [String(error.status || "?")]);
    return { message: t("errApi", [detail]), hint: t("errApiHint"), options: false, retry: true };
  }

  function showError(error, retry) {
    const info = describeError(error);
    const box = $("error");
    box.dataset.code = error.code ?? "";
    box.dataset.status = String(error.status ?? "");
    const actions = el("div", "error-actions");
    if (info.options) {
      const button = el("button", "primary", t("openOptions"));
      button.type = "button";
      button.id = "error-options";
      button.addEventListener("click", () => ext.runtime.openOptionsPage());
      actions.append(button);
    }
    if (info.retry && retry) {
      const button = el("button", "", t("tryAgain"));
      button.type = "button";
      button.id = "error-retry";
      button.addEventListener("click", retry);
      actions.append(button);
    }
    box.replaceChildren(el("p", "error-message", info.message), el("p", "error-hint", info.hint));
    if (actions.childElementCount) box.append(actions);
    $("loading").hidden = true;
    $("result").hidden = true;
    box.hidden = false;
  }

  // ---------- the digest ----------

  function metaLine(d) {
    const parts = [d.site, d.author, d.date].filter((x) => typeof x === "string" && x);
    if (Number.isInteger(d.reading_minutes)) parts.push(t("readingMinutes", [String(d.reading_minutes)]));
    return parts.join(" · ");
  }

  function clickable(item, key, texts) {
    item.tabIndex = 0;
    item.setAttribute("role", "button");
    item.setAttribute("aria-pressed", "false");
    item.dataset.key = key;
    const go = () => toggleHighlight(item, key, texts);
    item.addEventListener("click", go);
    item.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        go();
      }
    });
  }

  function emptyItem(key) {
    return el("li", "empty", t(key));
  }

  /** A fact's sentence with its figures emphasised (figure offsets are into the digest text). */
  function factContent(fact, item) {
    const text = String(fact.text ?? "");
    const cut = slicer(text);
    const figures = (Array.isArray(fact.figures) ? fact.figures : [])
      .map((f) => [f.start - fact.start, f.end - fact.start])
      .filter(([s, e]) => Number.isInteger(s) && Number.isInteger(e) && s >= 0 && e > s)
      .sort((a, b) => a[0] - b[0]);
    let at = 0;
    for (const [s, e] of figures) {
      if (s < at) continue; // overlapping figure
      const figure = cut(s, e);
      if (!figure) continue;
      if (s > at) item.append(cut(at, s));
      item.append(el("strong", "figure", figure));
      at = e;
    }
    item.append(cut(at, Number.MAX_SAFE_INTEGER));
  }

  function render(digest) {
    state.digest = digest;
    const cut = slicer(String(digest.text ?? ""));
    $("title").textContent = digest.title || state.pageTitle || t("untitled");
    $("meta").textContent = metaLine(digest);

    const summary = $("summary");
    summary.replaceChildren();
    (digest.summary ?? []).forEach((s, i) => {
      const item = el("li", "summary-sentence", s.text);
      clickable(item, `s${i}`, [s.text]);
      summary.append(item);
    });
    if (!summary.childElementCount) summary.append(emptyItem("noSummary"));

    const facts = $("facts");
    facts.replaceChildren();
    (digest.facts ?? []).forEach((f, i) => {
      const item = el("li", "fact");
      factContent(f, item);
      clickable(item, `f${i}`, [f.text]);
      facts.append(item);
    });
    if (!facts.childElementCount) facts.append(emptyItem("noFacts"));

    const quotes = $("quotes");
    quotes.replaceChildren();
    (digest.quotes ?? []).forEach((q, i) => {
      const item = el("li", q.partial ? "quote partial" : "quote");
      item.append(el("q", "quote-text", q.text));
      const speaker = el("span", "quote-speaker", q.speaker || t("unknownSpeaker"));
      if (!q.speaker) speaker.classList.add("unknown");
      item.append(speaker);
      const parts = (Array.isArray(q.spans) ? q.spans : [])
        .map(([s, e]) => cut(s, e))
        .filter((x) => x.trim());
      clickable(item, `q${i}`, parts.length ? parts : String(q.text).split(" … "));
      quotes.append(item);
    });
    if (!quotes.childElementCount) quotes.append(emptyItem("noQuotes"));

    $("loading").hidden = true;
    $("error").hidden = true;
    $("error").replaceChildren();
    $("result").hidden = false;
    $("copy-markdown").disabled = typeof digest.markdown !== "string";
  }

  // ---------- highlight in the page ----------

  function setStatus(text) {
    $("status").textContent = text;
  }

  function markActive(item, active) {
    for (const other of document.querySelectorAll('[aria-pressed="true"]')) {
      other.setAttribute("aria-pressed", "false");
      other.classList.remove("active");
    }
    if (active) {
      item.setAttribute("aria-pressed", "true");
      item.classList.add("active");
    }
  }

  async function inPage(func, args) {
    const target = { tabId: state.tabId };
    if (!state.cssInjected) {
      await ext.scripting.insertCSS({ target, css: HIGHLIGHT_CSS });
      state.cssInjected = true;
    }
    await ext.scripting.executeScript({ target, files: ["highlight.js"] });
    const [first] = await ext.scripting.executeScript({ target, func, args });
    return first?.result;
  }

  async function toggleHighlight(item, key, texts) {
    if (state.tabId === null) {
      setStatus(t("highlightNoTab"));
      return;
    }
    try {
      const result = await inPage((k, x) => globalThis.__pithHighlighter.toggle(k, x), [key, texts]);
      markActive(item, Boolean(result?.active));
      setStatus(result?.active || result?.cleared ? "" : t("highlightNotFound"));
    } catch {
      markActive(item, false);
      setStatus(t("highlightNoAccess"));
    }
  }

  async function clearHighlight() {
    if (state.tabId === null) return;
    markActive(null, false);
    try {
      await inPage(() => globalThis.__pithHighlighter.clear(), []);
    } catch {
      /* the page is gone: nothing to clear */
    }
  }

  // ---------- Markdown: the server's one rendering, asked for with include: ["markdown"] ----------

  async function copyMarkdown() {
    if (typeof state.digest?.markdown !== "string") return;
    const { markdown } = state.digest;
    try {
      await navigator.clipboard.writeText(markdown);
    } catch {
      const area = el("textarea");
      area.value = markdown;
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    setStatus(t("copied"));
  }

  // ---------- what the popup digests ----------

  async function digestTab() {
    showLoading();
    const settings = await globalThis.Pith.getSettings();
    let captured;
    try {
      captured = await globalThis.Pith.captureTab(state.tabId);
    } catch (err) {
      showError({ code: err.code ?? "restricted", status: 0, message: err.message, server: settings.serverUrl }, null);
      return;
    }
    const outcome = await globalThis.Pith.requestDigest(captured.body, settings);
    if (!outcome.ok) {
      showError(outcome.error, digestTab);
      return;
    }
    render(outcome.digest);
    if (captured.truncated) {
      $("notice").textContent = t("noticeTruncated");
      $("notice").hidden = false;
    }
  }

  async function showJob(jobId) {
    const key = `job:${jobId}`;
    const apply = (job) => {
      if (!job) {
        showError({ code: "job_missing", status: 0 }, null);
        return true;
      }
      state.tabId = job.tabId ?? null;
      state.pageTitle = job.pageTitle ?? "";
      if (job.state === "done") render(job.digest);
      else if (job.state === "error") showError(job.error, null);
      else return false;
      return true;
    };
    showLoading();
    const listener = (changes, area) => {
      if (area === "session" && changes[key] && apply(changes[key].newValue)) {
        ext.storage.onChanged.removeListener(listener);
      }
    };
    ext.storage.onChanged.addListener(listener);
    const stored = await ext.storage.session.get(key);
    if (apply(stored[key])) ext.storage.onChanged.removeListener(listener);
  }

  async function start() {
    $("copy-markdown").addEventListener("click", copyMarkdown);
    $("open-options").addEventListener("click", () => ext.runtime.openOptionsPage());
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && document.querySelector('[aria-pressed="true"]')) {
        event.preventDefault();
        clearHighlight();
      }
    });
    const params = new URLSearchParams(location.search);
    if (params.has("job")) {
      document.body.classList.add("window");
      await showJob(params.get("job"));
      return;
    }
    if (params.has("tab")) {
      state.tabId = Number(params.get("tab"));
    } else {
      const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
      state.tabId = tab?.id ?? null;
      state.pageTitle = tab?.title ?? "";
    }
    if (state.tabId === null || Number.isNaN(state.tabId)) {
      showError({ code: "restricted", status: 0 }, null);
      return;
    }
    await digestTab();
  }

  start().catch((err) => showError({ code: "internal_extension", status: 0, message: String(err?.message ?? err) }, null));
})();

/* Pith extension: settings, page capture and the one call to the configured backend (shared by all pages). */
"use strict";

(() => {
  const ext = globalThis.browser ?? globalThis.chrome;

  const DEFAULT_SERVER_URL = "http://127.0.0.1:8000";
  /** Largest page (UTF-8 bytes of HTML) the extension sends; the backend accepts up to 10 MB by default. */
  const MAX_PAGE_BYTES = 8 * 1024 * 1024;
  const REQUEST_TIMEOUT_MS = 90_000;
  const HEALTH_TIMEOUT_MS = 8_000;

  /** The server address as typed, checked and without trailing slashes; throws on anything but http(s). */
  function normalizeServerUrl(raw) {
    const text = String(raw ?? "").trim();
    if (!text) return DEFAULT_SERVER_URL;
    let url;
    try {
      url = new URL(text);
    } catch {
      throw new Error("invalid_url");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("invalid_url");
    if (url.username || url.password || url.search || url.hash) throw new Error("invalid_url");
    return (url.origin + url.pathname).replace(/\/+$/, "");
  }

  /** The host-permission pattern for a server address (match patterns take no port: any port of the host). */
  function originPattern(serverUrl) {
    const url = new URL(serverUrl);
    return `${url.protocol}//${url.hostname}/*`;
  }

  /** The saved settings, with the defaults filled in here (never written to storage at install). */
  async function getSettings() {
    const stored = await ext.storage.local.get(["serverUrl", "apiToken"]);
    let serverUrl;
    try {
      serverUrl = normalizeServerUrl(stored.serverUrl);
    } catch {
      serverUrl = DEFAULT_SERVER_URL;
    }
    return { serverUrl, apiToken: String(stored.apiToken ?? "").trim() };
  }

  /**
   * Runs inside the page (scripting.executeScript): the rendered page as the reader sees it.
   * Pages over the cap lose scripts, styles and media first (JSON-LD metadata stays), then are cut.
   */
  function capturePage(maxBytes) {
    const encoder = new TextEncoder();
    const isText = document.contentType === "text/plain";
    if (isText) {
      let text = document.body ? document.body.innerText : document.documentElement.textContent;
      let truncated = false;
      if (encoder.encode(text).length > maxBytes) {
        text = text.slice(0, Math.floor(maxBytes / 3));
        truncated = true;
      }
      return { kind: "text", text, url: location.href, truncated };
    }
    const doctype = document.doctype ? "<!DOCTYPE html>\n" : "";
    let html = doctype + document.documentElement.outerHTML;
    let truncated = false;
    if (encoder.encode(html).length > maxBytes) {
      const clone = document.documentElement.cloneNode(true);
      const junk = 'script:not([type="application/ld+json"]), style, noscript, svg, template, iframe, canvas, video, audio, object, embed';
      for (const el of clone.querySelectorAll(junk)) el.remove();
      html = doctype + clone.outerHTML;
      const bytes = encoder.encode(html);
      if (bytes.length > maxBytes) {
        html = new TextDecoder().decode(bytes.slice(0, maxBytes)).replace(/\uFFFD$/, "");
        truncated = true;
      }
    }
    return { kind: "html", html, url: location.href, truncated };
  }

  /** The page in a tab as a request body for /api/v1/digest; throws {code: "restricted"} where pages can't be read. */
  async function captureTab(tabId) {
    let results;
    try {
      results = await ext.scripting.executeScript({ target: { tabId }, func: capturePage, args: [MAX_PAGE_BYTES] });
    } catch (err) {
      throw Object.assign(new Error(String(err?.message ?? err)), { code: "restricted" });
    }
    const page = results?.[0]?.result;
    if (!page) throw Object.assign(new Error("no result from the page"), { code: "restricted" });
    const body = page.kind === "text" ? { text: page.text } : { html: page.html };
    if (/^https?:/i.test(page.url)) body.url = page.url;
    return { body, truncated: page.truncated };
  }

  function headers(settings, json) {
    const h = { Accept: "application/json" };
    if (json) h["Content-Type"] = "application/json";
    if (settings.apiToken) h.Authorization = `Bearer ${settings.apiToken}`;
    return h;
  }

  async function timedFetch(url, init, ms) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ms);
    try {
      return await fetch(url, { ...init, signal: controller.signal, credentials: "omit", cache: "no-store" });
    } finally {
      clearTimeout(timer);
    }
  }

  /** A failure as the UI shows it: {code, status, message, server}. */
  async function errorFrom(response) {
    let code = "http_error";
    let message = "";
    try {
      const data = await response.json();
      if (data?.error) {
        code = String(data.error.code || code);
        message = String(data.error.message || "");
      }
    } catch {
      /* not JSON: a proxy's page, keep the status */
    }
    return { code, status: response.status, message };
  }

  /**
   * POST a body ({html, url} or {text, url}) to <server>/api/v1/digest, asking for the Markdown rendering too.
   * Resolves to {ok: true, digest} or {ok: false, error: {code, status, message, server}}; never rejects.
   */
  async function requestDigest(body, settings) {
    const server = settings.serverUrl;
    let response;
    try {
      response = await timedFetch(
        `${server}/api/v1/digest`,
        { method: "POST", headers: headers(settings, true), body: JSON.stringify({ ...body, include: ["markdown"] }) },
        REQUEST_TIMEOUT_MS,
      );
    } catch (err) {
      const code = err?.name === "AbortError" ? "timeout" : "network";
      return { ok: false, error: { code, status: 0, message: String(err?.message ?? err), server } };
    }
    if (!response.ok) return { ok: false, error: { ...(await errorFrom(response)), server } };
    try {
      const digest = await response.json();
      if (!digest || typeof digest !== "object" || typeof digest.text !== "string") throw new Error("not a digest");
      return { ok: true, digest };
    } catch (err) {
      return { ok: false, error: { code: "bad_response", status: response.status, message: String(err?.message ?? err), server } };
    }
  }

  /**
   * Check a server: /healthz, then whether the API takes the token (a GET without a URL: 400 means authorised).
   * Resolves to {ok, code, version, status}.
   */
  async function checkServer(settings) {
    const server = settings.serverUrl;
    let health;
    try {
      const response = await timedFetch(`${server}/healthz`, { headers: { Accept: "application/json" } }, HEALTH_TIMEOUT_MS);
      if (!response.ok) return { ok: false, code: "http_error", status: response.status };
      health = await response.json();
      if (health?.status !== "ok") return { ok: false, code: "not_pith", status: response.status };
    } catch (err) {
      return { ok: false, code: err?.name === "AbortError" ? "timeout" : "network", status: 0 };
    }
    try {
      const probe = await timedFetch(`${server}/api/v1/digest`, { headers: headers(settings, false) }, HEALTH_TIMEOUT_MS);
      if (probe.status === 401) return { ok: false, code: "unauthorized", status: 401, version: health.version };
    } catch {
      /* the health check passed; the API probe is only a hint */
    }
    return { ok: true, code: "ok", status: 200, version: String(health.version ?? "") };
  }

  globalThis.Pith = Object.freeze({
    ext,
    DEFAULT_SERVER_URL,
    MAX_PAGE_BYTES,
    normalizeServerUrl,
    originPattern,
    getSettings,
    capturePage,
    captureTab,
    requestDigest,
    checkServer,
  });
})();

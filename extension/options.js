/* Pith options: the server address and token, the host permission for that server, a connection test. */
"use strict";

(() => {
  const { ext, normalizeServerUrl, originPattern } = globalThis.Pith;
  const t = globalThis.t;
  const $ = (id) => document.getElementById(id);

  function say(id, text, kind) {
    const out = $(id);
    out.textContent = text;
    out.className = kind ?? "";
  }

  /** The form's values as settings; null (with a message) when the address is not an http(s) URL. */
  function formSettings(statusId) {
    try {
      return { serverUrl: normalizeServerUrl($("server-url").value), apiToken: $("api-token").value.trim() };
    } catch {
      say(statusId, t("invalidServerUrl"), "error");
      $("server-url").focus();
      return null;
    }
  }

  async function load() {
    const settings = await globalThis.Pith.getSettings();
    $("server-url").value = settings.serverUrl;
    $("api-token").value = settings.apiToken;
  }

  /** Drop host permissions for servers no longer configured (only backend origins are ever requested). */
  async function forgetOtherOrigins(keep) {
    const granted = await ext.permissions.getAll();
    const stale = (granted.origins ?? []).filter((o) => o !== keep);
    if (stale.length) await ext.permissions.remove({ origins: stale });
  }

  function save(event) {
    event.preventDefault(); // a click on #save, also fired by Enter in a field (implicit submission)
    say("connection-status", "");
    const settings = formSettings("save-status");
    if (!settings) return;
    const pattern = originPattern(settings.serverUrl);
    // Ask for the server's origin inside the click itself (Firefox requires the user action to be on the stack).
    let permission;
    try {
      permission = Promise.resolve(ext.permissions.request({ origins: [pattern] })).catch(() => false);
    } catch {
      permission = Promise.resolve(false);
    }
    ext.storage.local
      .set({ serverUrl: settings.serverUrl, apiToken: settings.apiToken })
      .then(async () => {
        $("server-url").value = settings.serverUrl;
        say("save-status", t("saved"), "ok");
        const granted = await permission;
        if (granted) {
          await forgetOtherOrigins(pattern).catch(() => {});
          say("save-status", t("savedWithAccess", [new URL(settings.serverUrl).host]), "ok");
        } else {
          say("save-status", t("savedWithoutAccess"), "ok");
        }
      })
      .catch((err) => say("save-status", t("saveFailed", [String(err?.message ?? err)]), "error"));
  }

  async function testConnection() {
    const settings = formSettings("connection-status");
    if (!settings) return;
    say("connection-status", t("testing"));
    $("test-connection").disabled = true;
    try {
      const result = await globalThis.Pith.checkServer(settings);
      if (result.ok) {
        say("connection-status", t("connectionOk", [result.version || "?", settings.serverUrl]), "ok");
      } else if (result.code === "unauthorized") {
        say("connection-status", t("connectionUnauthorized"), "error");
      } else if (result.code === "network" || result.code === "timeout") {
        say("connection-status", t("connectionUnreachable", [settings.serverUrl]), "error");
      } else {
        say("connection-status", t("connectionNotPith", [String(result.status)]), "error");
      }
    } finally {
      $("test-connection").disabled = false;
    }
  }

  $("save").addEventListener("click", save);
  $("options-form").addEventListener("submit", (event) => event.preventDefault());
  $("test-connection").addEventListener("click", testConnection);
  load();
})();

/* Pith extension background: the context-menu entries; results go to a popup window via storage.session. */
"use strict";

if (typeof globalThis.Pith === "undefined" && typeof importScripts === "function") {
  importScripts("client.js"); // Chromium service worker; Firefox loads client.js via background.scripts
}

const { ext } = globalThis.Pith;

const MENU_PAGE = "pith-digest-page";
const MENU_SELECTION = "pith-digest-selection";
const JOB_PREFIX = "job:";
const KEEP_JOBS = 5;

async function createMenus() {
  await ext.contextMenus.removeAll(); // promise-style: Firefox's browser.* takes no callbacks
  ext.contextMenus.create({ id: MENU_PAGE, title: ext.i18n.getMessage("menuDigestPage"), contexts: ["page"] });
  ext.contextMenus.create({
    id: MENU_SELECTION,
    title: ext.i18n.getMessage("menuDigestSelection"),
    contexts: ["selection"],
  });
}

const menus = () => createMenus().catch((err) => console.error("Pith: context menus:", err));
ext.runtime.onInstalled.addListener(menus);
ext.runtime.onStartup.addListener(menus);

/** Keep only the newest few results in session storage. */
async function pruneJobs() {
  const all = await ext.storage.session.get(null);
  const jobs = Object.entries(all)
    .filter(([key]) => key.startsWith(JOB_PREFIX))
    .sort((a, b) => (b[1].createdAt ?? 0) - (a[1].createdAt ?? 0));
  const stale = jobs.slice(KEEP_JOBS).map(([key]) => key);
  if (stale.length) await ext.storage.session.remove(stale);
}

/** The selected text with its line breaks (the menu's selectionText loses them); falls back to the menu's copy. */
async function selectedText(info, tab) {
  if (tab?.id !== undefined && tab.id >= 0) {
    try {
      const [first] = await ext.scripting.executeScript({
        target: { tabId: tab.id, frameIds: info.frameId ? [info.frameId] : [0] },
        func: () => String(globalThis.getSelection?.() ?? ""),
      });
      if (first?.result?.trim()) return first.result;
    } catch {
      /* no access to this page: the menu's copy of the selection will do */
    }
  }
  return String(info.selectionText ?? "");
}

async function openResultWindow(jobId) {
  const url = ext.runtime.getURL(`popup.html?job=${encodeURIComponent(jobId)}`);
  try {
    await ext.windows.create({ url, type: "popup", width: 440, height: 640 });
  } catch {
    await ext.tabs.create({ url });
  }
}

/**
 * What a context-menu click does (also called directly by tests): digest the page or the selection,
 * show a window that waits for the result, and store the result for it. Resolves to the job id.
 */
async function onMenuClicked(info, tab) {
  if (info.menuItemId !== MENU_PAGE && info.menuItemId !== MENU_SELECTION) return null;
  const jobId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  const key = JOB_PREFIX + jobId;
  const base = {
    createdAt: Date.now(),
    source: info.menuItemId === MENU_SELECTION ? "selection" : "page",
    tabId: tab?.id ?? null,
    pageUrl: tab?.url ?? info.pageUrl ?? null,
    pageTitle: tab?.title ?? null,
  };
  await ext.storage.session.set({ [key]: { ...base, state: "loading" } });
  await openResultWindow(jobId);

  let outcome;
  try {
    const settings = await globalThis.Pith.getSettings();
    let body;
    if (base.source === "selection") {
      const text = await selectedText(info, tab);
      if (!text.trim()) throw Object.assign(new Error("empty selection"), { code: "empty_selection" });
      body = { text };
      if (/^https?:/i.test(base.pageUrl ?? "")) body.url = base.pageUrl;
    } else {
      body = (await globalThis.Pith.captureTab(tab.id)).body;
    }
    outcome = await globalThis.Pith.requestDigest(body, settings);
  } catch (err) {
    outcome = { ok: false, error: { code: err?.code ?? "internal_extension", status: 0, message: String(err?.message ?? err) } };
  }
  const done = outcome.ok
    ? { ...base, state: "done", digest: outcome.digest }
    : { ...base, state: "error", error: outcome.error };
  await ext.storage.session.set({ [key]: done });
  await pruneJobs();
  return jobId;
}

ext.contextMenus.onClicked.addListener((info, tab) => {
  onMenuClicked(info, tab).catch((err) => console.error("Pith:", err));
});

globalThis.pithOnMenuClicked = onMenuClicked;

/* Pith extension: the popup's "Search my quotes" link opens the server's web page at its Library view. */
"use strict";

(() => {
  const ext = globalThis.browser ?? globalThis.chrome;
  const link = document.getElementById("search-quotes");
  if (!link) return;
  const target = async () => `${(await globalThis.Pith.getSettings()).serverUrl.replace(/\/+$/, "")}/#library`;
  target().then((url) => { link.href = url; }).catch(() => {});
  link.addEventListener("click", async (event) => {
    event.preventDefault();
    await ext.tabs.create({ url: await target() });
    window.close();
  });
})();

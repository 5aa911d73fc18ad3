/* Pith extension: fill data-i18n* attributes of a page from _locales via the i18n API. */
"use strict";

(() => {
  const ext = globalThis.browser ?? globalThis.chrome;
  const t = (key, subs) => ext.i18n.getMessage(key, subs) || key;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  for (const el of document.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of document.querySelectorAll("[data-i18n-aria-label]")) el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
  document.documentElement.lang = ext.i18n.getUILanguage?.() || "en";
  globalThis.t = t;
})();

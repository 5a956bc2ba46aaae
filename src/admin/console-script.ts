/**
 * The console's only script, served as /admin/assets/console.js (same origin, so the
 * CSP's script-src 'self' allows it; no inline script anywhere). It updates an
 * edition's progress in place every 2 s while it is sending. Pages work without it.
 */
export const CONSOLE_SCRIPT = `"use strict";
(function () {
  var section = document.getElementById("progress");
  if (!section || section.dataset.status !== "sending") return;
  var url = section.dataset.progressUrl;
  var labels = { queued: 0, sent: 0, failed: 0, skipped: 0, total: 0 };
  function set(selector, text) {
    var el = section.querySelector(selector);
    if (el) el.textContent = text;
  }
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (p) {
        if (!p) return;
        Object.keys(labels).forEach(function (key) {
          var n = key === "total" ? p.total : p.counts[key];
          set('[data-count="' + key + '"]', n.toLocaleString("zh-CN"));
        });
        Object.keys(p.failedByKind).forEach(function (kind) {
          set('[data-failed="' + kind + '"]', p.failedByKind[kind].toLocaleString("zh-CN"));
        });
        set('[data-field="status"]', p.statusLabel);
        // The Chinese meaning; the provider's own words are on the page after a reload.
        set('[data-field="error"]', p.errorLabel || "");
        var bar = section.querySelector('[data-field="progress"]');
        if (bar) {
          bar.max = Math.max(p.total, 1);
          bar.value = p.counts.sent + p.counts.failed + p.counts.skipped;
        }
        section.dataset.status = p.status;
        if (p.status === "sending") setTimeout(tick, 2000);
      })
      .catch(function () { setTimeout(tick, 2000); });
  }
  setTimeout(tick, 2000);
})();
`;

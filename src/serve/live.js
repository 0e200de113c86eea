// partnerpress live reload (served by `partnerpress serve` only, never written to disk).
(() => {
  "use strict";
  const data = (document.currentScript && document.currentScript.dataset) || {};
  const served = data.generation || "0";
  const source = new EventSource("/__partnerpress/events");
  let overlay = null;
  const hide = () => {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  };
  const show = (diagnostics) => {
    hide();
    overlay = document.createElement("div");
    overlay.id = "partnerpress-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-label", data.failed || "Build failed");
    overlay.setAttribute("lang", data.lang || "en");
    overlay.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,20,.94);color:#f4f4f4;font:14px/1.5 ui-monospace,monospace";
    const title = document.createElement("h2");
    title.textContent = data.overlay || "Build failed — the last good version is shown underneath";
    title.style.cssText = "margin:0 0 1rem;color:#ff8a80;font:bold 18px/1.3 system-ui,sans-serif";
    overlay.appendChild(title);
    for (const d of diagnostics) {
      const pre = document.createElement("pre");
      pre.textContent = d.text;
      pre.style.cssText = "white-space:pre-wrap;margin:0 0 1rem";
      overlay.appendChild(pre);
    }
    document.body.appendChild(overlay);
  };
  const catchUp = (event) => {
    if (event.data !== served) location.reload();
  };
  // A good build happened: reload unless this page already shows it.
  source.addEventListener("reload", catchUp);
  source.addEventListener("current", catchUp);
  source.addEventListener("failed", (event) => show(JSON.parse(event.data)));
})();

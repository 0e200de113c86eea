// Site search: fetches this language's index (the form's `data-index`, a path with the
// site's base path) once, then answers every query in the browser: the query's words,
// folded like the index (`src/render/search.rs`), must all start a word of an entry's
// title, text or terms; title hits rank first, then pages without a date (partners,
// partnerships, topics), then newer releases. Self-hosted, loaded with `defer` on the
// search page only; without JavaScript the page links to the overviews instead.
(function () {
  "use strict";

  var LIMIT = 50;
  var FOLD = {
    "ä": "ae", "æ": "ae", "ö": "oe", "œ": "oe", "ü": "ue", "ß": "ss",
    "à": "a", "á": "a", "â": "a", "ã": "a", "å": "a", "ā": "a", "ą": "a",
    "ç": "c", "ć": "c", "č": "c",
    "è": "e", "é": "e", "ê": "e", "ë": "e", "ē": "e", "ę": "e", "ě": "e",
    "ì": "i", "í": "i", "î": "i", "ï": "i",
    "ñ": "n", "ń": "n", "ň": "n",
    "ò": "o", "ó": "o", "ô": "o", "õ": "o", "ø": "o", "ő": "o",
    "ù": "u", "ú": "u", "û": "u", "ů": "u", "ű": "u",
    "ý": "y", "ÿ": "y", "ś": "s", "š": "s", "ź": "z", "ż": "z", "ž": "z",
    "ł": "l", "ř": "r", "ť": "t", "ď": "d"
  };
  var FOLDABLE = new RegExp("[" + Object.keys(FOLD).join("") + "]", "g");

  function fold(text) {
    return String(text).toLowerCase().replace(FOLDABLE, function (c) { return FOLD[c]; });
  }

  function tokens(text) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 0; });
  }

  // Index entries → what matching needs: " word word " strings for prefix search.
  function prepare(entries) {
    return entries.map(function (e, i) {
      var title = " " + tokens(e.t).join(" ");
      return { entry: e, order: i, title: title, all: title + " " + e.s + " " + tokens(e.x).join(" ") };
    });
  }

  // Every entry whose words start with each query word, best first:
  // { total, hits: [entry, …] } with at most `limit` hits.
  function search(prepared, query, limit) {
    var words = tokens(query);
    if (words.length === 0) return { total: 0, hits: [] };
    var needles = words.map(function (w) { return " " + w; });
    var found = [];
    for (var i = 0; i < prepared.length; i++) {
      var p = prepared[i];
      var ok = true;
      var inTitle = 0;
      for (var j = 0; j < needles.length; j++) {
        if (p.title.indexOf(needles[j]) >= 0) inTitle++;
        else if (p.all.indexOf(needles[j]) < 0) { ok = false; break; }
      }
      if (ok) found.push({ p: p, inTitle: inTitle });
    }
    found.sort(function (a, b) {
      if (a.inTitle !== b.inTitle) return b.inTitle - a.inTitle;
      var da = a.p.entry.d || "9999", db = b.p.entry.d || "9999";
      if (da !== db) return da < db ? 1 : -1;
      return a.p.order - b.p.order;
    });
    return {
      total: found.length,
      hits: found.slice(0, limit || LIMIT).map(function (f) { return f.p.entry; })
    };
  }

  // "2024-07-23" as pages show it, with the page's month names and formats.
  function formatDate(iso, months, dateFormat, monthFormat) {
    var parts = String(iso).split("-");
    var month = months[Number(parts[1]) - 1];
    if (parts.length >= 3 && month) {
      return dateFormat.replace("{day}", String(Number(parts[2])))
        .replace("{month}", month).replace("{year}", parts[0]);
    }
    if (parts.length === 2 && month) {
      return monthFormat.replace("{month}", month).replace("{year}", parts[0]);
    }
    return parts[0];
  }

  // `text` appended to `parent` with each word that starts with a query word in <mark>;
  // text nodes only, so nothing in an entry is ever parsed as HTML.
  function appendMarked(parent, text, words) {
    var word = /[\p{L}\p{N}]+/gu;
    var last = 0;
    var m;
    while ((m = word.exec(text)) !== null) {
      var folded = fold(m[0]);
      var hit = words.some(function (w) { return folded.indexOf(w) === 0; });
      if (!hit) continue;
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      parent.appendChild(mark);
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { fold: fold, tokens: tokens, prepare: prepare, search: search, formatDate: formatDate };
  }
  if (typeof document === "undefined") return;

  var form = document.querySelector("form.search-form[data-index]");
  if (!form || typeof fetch !== "function") return;
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var noJs = document.querySelector(".search-nojs");
  if (noJs) noJs.hidden = true;
  var more = document.querySelector(".search-more");
  var months = (form.dataset.months || "").split(",");
  var prepared = null;
  var limit = LIMIT;
  var lastQuery = null;

  function say(template, n, shown) {
    return template.replace("{n}", String(n)).replace("{shown}", String(shown));
  }

  function show() {
    var q = input.value;
    list.textContent = "";
    if (more) more.hidden = true;
    if (!prepared) return;
    var words = tokens(q);
    if (words.length === 0) {
      status.textContent = "";
      list.hidden = true;
      return;
    }
    if (q !== lastQuery) limit = LIMIT;
    lastQuery = q;
    var result = search(prepared, q, limit);
    status.textContent = result.total > result.hits.length
      ? say(form.dataset.more, result.total, result.hits.length)
      : say(form.dataset.hits, result.total, result.total);
    result.hits.forEach(function (e) {
      var li = document.createElement("li");
      var head = document.createElement("p");
      head.className = "search-hit-head";
      var a = document.createElement("a");
      a.href = e.u;
      appendMarked(a, e.t, words);
      head.appendChild(a);
      var kind = document.createElement("span");
      kind.className = "muted";
      kind.textContent = " · " + (form.dataset["kind" + e.k.charAt(0).toUpperCase() + e.k.slice(1)] || e.k);
      head.appendChild(kind);
      if (e.d) {
        var time = document.createElement("time");
        time.className = "muted";
        time.dateTime = e.d;
        time.textContent = " · " + formatDate(e.d, months, form.dataset.dateFormat, form.dataset.monthFormat);
        head.appendChild(time);
      }
      li.appendChild(head);
      if (e.x) {
        var text = document.createElement("p");
        appendMarked(text, e.x, words);
        li.appendChild(text);
      }
      list.appendChild(li);
    });
    list.hidden = result.hits.length === 0;
    if (more) more.hidden = result.total <= result.hits.length;
  }

  if (more) {
    more.querySelector("button").addEventListener("click", function () {
      var first = list.children.length;
      limit += LIMIT;
      show();
      var next = list.children[first];
      var link = next && next.querySelector("a");
      if (link) link.focus();
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.replaceState(null, "", url);
    show();
  });
  input.addEventListener("input", show);

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) input.value = initial;
  status.textContent = form.dataset.loading;
  fetch(form.dataset.index)
    .then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    })
    .then(function (index) {
      prepared = prepare(index.entries);
      status.textContent = "";
      show();
    })
    .catch(function () {
      status.textContent = form.dataset.failed;
    });
})();

// Site search: fetches this language's index manifest (the form's `data-index`, a path
// with the site's base path), then per query only the parts it needs
// (`src/render/search/shards.rs`): one `terms` file per query word, and the `docs`
// files of the hits shown. The query's words (two letters or more), folded like the
// index, must all start a word of an entry; hits whose title has more of them rank
// first, then by the entry's number (pages without a date, then newer releases).
// Self-hosted, loaded with `defer` on the search page only; without JavaScript the
// page links to the overviews instead.
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

  // The words a query searches for: one-letter words are not in the index.
  function queryWords(text) {
    return tokens(text).filter(function (w) { return Array.from(w).length >= 2; });
  }

  // A shard's file name, as `file_name` in shards.rs writes it.
  function fileName(shard) {
    if (/^[a-z0-9]+$/.test(shard)) return shard;
    var hex = "";
    new TextEncoder().encode(shard).forEach(function (b) {
      hex += (b < 16 ? "0" : "") + b.toString(16);
    });
    return "_" + hex;
  }

  function undiff(list) {
    var out = [];
    var n = 0;
    for (var i = 0; i < list.length; i++) { n += list[i]; out.push(n); }
    return out;
  }

  // The entries a query word finds in its shard: Map number → 1 (a title word starts
  // with it) or 0 (another word does).
  function matchWord(shard, w) {
    var found = new Map();
    Object.keys(shard).forEach(function (word) {
      if (word.lastIndexOf(w, 0) !== 0) return;
      undiff(shard[word][0]).forEach(function (n) { found.set(n, 1); });
      undiff(shard[word][1]).forEach(function (n) { if (!found.has(n)) found.set(n, 0); });
    });
    return found;
  }

  // The entries every word found, best first: [{ n, inTitle }].
  function rank(matches) {
    if (matches.length === 0) return [];
    var hits = [];
    matches[0].forEach(function (title, n) {
      var inTitle = title;
      for (var i = 1; i < matches.length; i++) {
        if (!matches[i].has(n)) return;
        inTitle += matches[i].get(n);
      }
      hits.push({ n: n, inTitle: inTitle });
    });
    hits.sort(function (a, b) { return b.inTitle - a.inTitle || a.n - b.n; });
    return hits;
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
    module.exports = {
      fold: fold, tokens: tokens, queryWords: queryWords, fileName: fileName,
      matchWord: matchWord, rank: rank, formatDate: formatDate
    };
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
  var base = form.dataset.index.replace(/[^/]*$/, "");
  var manifest = null;
  var files = {};
  var limit = LIMIT;
  var lastQuery = null;
  var generation = 0;

  function getJSON(path) {
    if (!files[path]) {
      files[path] = fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      });
      files[path].catch(function () { delete files[path]; });
    }
    return files[path];
  }

  // The entries `word` finds: in its shard, or in every shard that starts with a word
  // shorter than the shards' names.
  function findWord(word) {
    var letters = Array.from(word);
    var names = letters.length >= manifest.prefix
      ? [letters.slice(0, manifest.prefix).join("")]
      : manifest.shards.filter(function (s) { return s.lastIndexOf(word, 0) === 0; });
    var shards = names.filter(function (s) { return manifest.shards.indexOf(s) >= 0; });
    return Promise.all(shards.map(function (s) {
      return getJSON("terms/" + fileName(s) + ".json");
    })).then(function (loaded) {
      var found = new Map();
      loaded.forEach(function (shard) {
        matchWord(shard, word).forEach(function (title, n) {
          found.set(n, Math.max(title, found.get(n) || 0));
        });
      });
      return found;
    });
  }

  // The hits of `words`: { total, entries } with at most `limit` entries.
  function find(words) {
    return Promise.all(words.map(findWord)).then(function (matches) {
      var hits = rank(matches);
      var shown = hits.slice(0, limit);
      var chunks = {};
      shown.forEach(function (h) { chunks[Math.floor(h.n / manifest.chunk)] = true; });
      return Promise.all(Object.keys(chunks).map(function (c) {
        return getJSON("docs/" + c + ".json").then(function (docs) { chunks[c] = docs; });
      })).then(function () {
        return {
          total: hits.length,
          entries: shown.map(function (h) {
            return chunks[Math.floor(h.n / manifest.chunk)][h.n % manifest.chunk];
          })
        };
      });
    });
  }

  function say(template, n, shown) {
    return template.replace("{n}", String(n)).replace("{shown}", String(shown));
  }

  function hitItem(e, words) {
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
    return li;
  }

  // Shows the hits of the input's query; resolves once they are on the page.
  function show() {
    var q = input.value;
    var g = ++generation;
    if (!manifest) return Promise.resolve();
    var words = queryWords(q);
    if (words.length === 0) {
      list.textContent = "";
      if (more) more.hidden = true;
      status.textContent = tokens(q).length > 0 ? form.dataset.tooShort : "";
      list.hidden = true;
      return Promise.resolve();
    }
    if (q !== lastQuery) limit = LIMIT;
    lastQuery = q;
    return find(words).then(function (result) {
      if (g !== generation) return;
      list.textContent = "";
      status.textContent = result.total > result.entries.length
        ? say(form.dataset.more, result.total, result.entries.length)
        : say(form.dataset.hits, result.total, result.total);
      result.entries.forEach(function (e) { list.appendChild(hitItem(e, words)); });
      list.hidden = result.entries.length === 0;
      if (more) more.hidden = result.total <= result.entries.length;
    }, function () {
      if (g === generation) status.textContent = form.dataset.failed;
    });
  }

  if (more) {
    more.querySelector("button").addEventListener("click", function () {
      var first = list.children.length;
      limit += LIMIT;
      show().then(function () {
        var next = list.children[first];
        var link = next && next.querySelector("a");
        if (link) link.focus();
      });
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
  getJSON("index.json")
    .then(function (index) {
      manifest = index;
      status.textContent = "";
      show();
    })
    .catch(function () {
      status.textContent = form.dataset.failed;
    });
})();

#!/usr/bin/env node
// What a visitor's first search downloads (issue 17): runs the search page's own logic
// (themes/default/static/search.js, loaded as a module) on a built site's index files
// and adds up the files it would fetch — the manifest, one `terms` file per query word
// (or the shards starting with a short word), the `docs` files of the hits shown —
// each gzipped at level 6, as a static host would serve them.
//
// usage: node bench/search_download.js SEARCH_DIR QUERY [QUERY ...]
//   SEARCH_DIR  the folder of a language's index.json in the output (public/suche)
// Prints a Markdown table: query, hits, files, kB gzipped.
"use strict";

const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const search = require(path.join(__dirname, "..", "themes", "default", "static", "search.js"));

const LIMIT = 50;

function main() {
  const [dir, ...queries] = process.argv.slice(2);
  if (!dir || queries.length === 0) {
    console.error("usage: node bench/search_download.js SEARCH_DIR QUERY [QUERY ...]");
    process.exit(2);
  }
  console.log("| query | hits | files | gzip kB |");
  console.log("|---|---:|---:|---:|");
  for (const query of queries) {
    const fetched = new Map();
    const get = (file) => {
      if (!fetched.has(file)) {
        const bytes = fs.readFileSync(path.join(dir, file));
        fetched.set(file, { json: JSON.parse(bytes), gzip: zlib.gzipSync(bytes, { level: 6 }).length });
      }
      return fetched.get(file).json;
    };
    const manifest = get("index.json");
    const words = search.queryWords(query);
    const matches = words.map((word) => findWord(manifest, get, word));
    const hits = search.rank(matches);
    const chunks = new Set(hits.slice(0, LIMIT).map((h) => Math.floor(h.n / manifest.chunk)));
    chunks.forEach((c) => get(`docs/${c}.json`));
    const gzip = [...fetched.values()].reduce((sum, f) => sum + f.gzip, 0);
    console.log(`| \`${query}\` | ${hits.length} | ${fetched.size} | ${(gzip / 1000).toFixed(1)} |`);
  }
}

// As `findWord` in search.js: the word's shard, or every shard starting with a word
// shorter than the shards' names.
function findWord(manifest, get, word) {
  const letters = Array.from(word);
  const names = letters.length >= manifest.prefix
    ? [letters.slice(0, manifest.prefix).join("")]
    : manifest.shards.filter((s) => s.startsWith(word));
  const found = new Map();
  for (const shard of names.filter((s) => manifest.shards.includes(s))) {
    search.matchWord(get(`terms/${search.fileName(shard)}.json`), word).forEach((title, n) => {
      found.set(n, Math.max(title, found.get(n) || 0));
    });
  }
  return found;
}

main();

/**
 * Stands in for `sax` in the Worker bundle (wrangler.toml [alias]). `feed` writes XML
 * with xml-js's js2xml; xml-js requires sax only for its XML parser (xml2js), which
 * nothing here calls; the real one is ~8 KiB gzip. CommonJS because xml-js `require`s it.
 */
exports.parser = function parser() {
  throw new Error("sax is not bundled in the Worker: XML parsing (xml-js xml2js) is not supported");
};

// Addresses outside the console's hash routes. The QR code of a meeting carries
// `<origin>/m/checkin?t=TOKEN` (docs/api-orglife.md); the server answers that path with the console's
// index.html, whose relative assets would then be looked for under /m/. This classic script (a
// copy lies at m/entry.js, so that it loads from both places; CSP script-src 'self') sends the
// browser to the console's own route, `#/m/checkin?t=TOKEN`, under whatever prefix it is served.
;(function (location) {
  var match = /\/m\/checkin\/?$/.exec(location.pathname)
  if (match && !location.hash) location.replace(location.pathname.slice(0, match.index + 1) + '#/m/checkin' + location.search)
})(window.location)

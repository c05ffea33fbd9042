// A page that answers a POST (a resident search, a form rejected for an invalid BSN) keeps
// that POST's body in its history entry, and so in the browser's tab-restore files on disk
// ("Sessions"), long after the values were discarded. Replacing the entry with itself
// leaves a plain entry for the same address, without a body (issue 13). On any other page
// it changes nothing.
if (window.history && window.history.replaceState) {
  window.history.replaceState(window.history.state, "", window.location.href);
}

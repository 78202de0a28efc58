// Passkeys: the one place Sanctuary needs JavaScript, because browsers
// offer WebAuthn only to scripts. Everything else works without it.
(function () {
  "use strict";
  if (!window.PublicKeyCredential) { return; }
  var b64 = {
    dec: function (s) {
      s = s.replace(/-/g, "+").replace(/_/g, "/");
      while (s.length % 4) { s += "="; }
      return Uint8Array.from(atob(s), function (c) { return c.charCodeAt(0); }).buffer;
    },
    enc: function (buf) {
      var s = String.fromCharCode.apply(null, new Uint8Array(buf));
      return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    }
  };
  function toOptions(pk) {
    pk.challenge = b64.dec(pk.challenge);
    if (pk.user) { pk.user.id = b64.dec(pk.user.id); }
    (pk.excludeCredentials || []).concat(pk.allowCredentials || []).forEach(function (c) { c.id = b64.dec(c.id); });
    return pk;
  }
  function toJSON(cred) {
    var r = cred.response, out = { id: cred.id, rawId: b64.enc(cred.rawId), type: cred.type, response: {
      clientDataJSON: b64.enc(r.clientDataJSON) }, clientExtensionResults: cred.getClientExtensionResults() };
    if (r.attestationObject) {
      out.response.attestationObject = b64.enc(r.attestationObject);
      out.response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      out.response.authenticatorData = b64.enc(r.authenticatorData);
      out.response.signature = b64.enc(r.signature);
      if (r.userHandle) { out.response.userHandle = b64.enc(r.userHandle); }
    }
    return out;
  }
  function post(url, csrf, body) {
    var h = { "Content-Type": "application/json" };
    if (csrf) { h["X-CSRF-Token"] = csrf; }
    return fetch(url, { method: "POST", headers: h, body: JSON.stringify(body || {}), credentials: "same-origin" })
      .then(function (res) { if (!res.ok) { throw new Error("status " + res.status); } return res.json(); });
  }
  function wire(el, create) {
    var button = document.getElementById("passkey-button");
    if (!el || !button) { return; }
    button.hidden = false;
    var field = document.getElementById("passkey-name-field");
    if (field) { field.hidden = false; }
    button.addEventListener("click", function () {
      var csrf = el.dataset.csrf, nameInput = document.getElementById("passkey-name");
      post(el.dataset.begin, csrf).then(function (opts) {
        var pk = toOptions(opts.publicKey);
        return create ? navigator.credentials.create({ publicKey: pk }) : navigator.credentials.get({ publicKey: pk });
      }).then(function (cred) {
        var body = { credential: toJSON(cred) };
        if (create) { body.name = nameInput ? nameInput.value : ""; }
        return post(el.dataset.finish, csrf, body);
      }).then(function (res) { window.location = res.next || "/"; })
        .catch(function () { button.setAttribute("aria-invalid", "true"); });
    });
  }
  wire(document.getElementById("passkey-login"), false);
  wire(document.getElementById("passkey-register"), true);
})();

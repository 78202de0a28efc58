package bundle

// verifyText is VERIFY.txt: how a court clerk checks a bundle by hand, with
// the tools of any Linux or macOS computer, or with sanctuary-verify.
const verifyText = `HOW TO VERIFY THIS EVIDENCE BUNDLE
==================================

This bundle holds documents given as evidence, and proof that each one is
exactly the document that was recorded when it was received, and what was
done with it since (viewed, downloaded, described, exported). You do not
need to trust the organisation that sent it: everything can be checked
offline.

The quick way
-------------
Run the verifier on the bundle (a directory or a .zip):

    sanctuary-verify BUNDLE

It prints one verdict per item. To be sure the log key is the
organisation's, compare log.vkey with the key it published elsewhere (its
website, a letter), or give that key to the verifier:

    sanctuary-verify -vkey 'sanctuary.custody/...+...+...' BUNDLE

By hand
-------
1. Every file is listed in MANIFEST with its SHA-256. In the bundle's
   directory run:

       sha256sum -c MANIFEST

   Every line must say OK. Files not listed in MANIFEST do not belong to
   the bundle.

2. For each item (items/0001, items/0002, ...), the document's SHA-256
   must be the "sha256" in its item.json:

       sha256sum items/0001/document

3. The custody log does not contain the document's hash, but a commitment
   to it, so that nobody holding a copy can find it in the log. Recompute
   it from the "salt" and "sha256" of item.json:

       ( printf 'sanctuary/custody/commitment/v1\000'
         printf '%s' SALT | xxd -r -p
         printf '%s' SHA256 | xxd -r -p ) | sha256sum

   The result must be the "commitment" in item.json, and the "object" line
   of every event in items/0001/events/.

4. The events of an item form a chain: the first is the "ingest" (with
   "prev -"), and the "prev" line of every later event is the SHA-256 of
   the event before it:

       sha256sum items/0001/events/17.event

5. Each event is in the organisation's custody log: its .proof file is a
   c2sp.org/tlog-proof@v1 inclusion proof (RFC 6962 Merkle hashing) that
   ends with the signed checkpoint of this bundle (the file "checkpoint").
   Checking a Merkle proof by hand is tedious; any implementation of the
   C2SP tlog-proof specification checks it (sanctuary-verify does, and so
   does filippo.io/torchwood). The checkpoint is signed with the key in
   log.vkey (an Ed25519 signed note, c2sp.org/signed-note).

What a verified item shows: this document is byte for byte the one
recorded at the time of its ingest event, and the events listed are all
recorded, in this order, in a log the organisation cannot rewrite without
the change showing in checkpoints it has already given out.
`

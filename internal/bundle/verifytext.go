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
Run the verifier on the bundle (a directory or a .zip), with the log key
or its fingerprint as the organisation published it (its website, a
letter) - not as this bundle carries it:

    sanctuary-verify -key-sha256 FINGERPRINT BUNDLE
    sanctuary-verify -vkey 'sanctuary.custody/...+...+...' BUNDLE

It prints one verdict per item. Without the organisation's key it can only
say that the bundle is consistent: anyone can make a consistent bundle
under a key of their own. It then prints the fingerprint of the key this
bundle carries, for you to compare.

By hand
-------
The full specification is docs/evidence.md of Sanctuary ("The format,
byte for byte").

1. MANIFEST lists every content file with its SHA-256. In the bundle's
   directory run:

       sha256sum -c MANIFEST

   Every line must say OK. The files MANIFEST does not list are the
   checkpoint, the proofs, and each item's export event (the one .event
   file of each item that MANIFEST leaves out): each export event names
   the SHA-256 of MANIFEST ("detail bundle ..."), so the log itself
   records what this bundle holds:

       sha256sum MANIFEST

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
   of every event in items/0001/events/. The description (title, kind,
   dates, ...) is committed the same way, with its own salt
   ("description_salt"), in the "description" line of the item's last
   ingest or annotate event.

4. The events of an item form a chain: the first is the "ingest" (with
   "prev -"), and the "prev" line of every later event is the SHA-256 of
   the event before it:

       sha256sum items/0001/events/17.event

   The last is this bundle's export. Events in case/events/ are about the
   case as a whole: an export of the case key means its holder can
   decrypt every document of the case.

5. Each event is in the organisation's custody log: its .proof file is a
   c2sp.org/tlog-proof@v1 inclusion proof (RFC 6962 Merkle hashing) that
   ends with the signed checkpoint of this bundle (the file "checkpoint").
   Checking a Merkle proof by hand is tedious; any implementation of the
   C2SP tlog-proof specification checks it (sanctuary-verify does, and so
   does filippo.io/torchwood). The checkpoint is signed with the key in
   log.vkey (an Ed25519 signed note, c2sp.org/signed-note). The key's
   fingerprint, which the organisation publishes, is what
   "sha256sum log.vkey" prints.

What a verified item shows: this document is byte for byte the one
recorded at the time of its ingest event, it is described as it was last
recorded, and the events listed are all its events up to this export,
recorded in this order in a log the organisation cannot rewrite without
the change showing in checkpoints it has already given out.
`

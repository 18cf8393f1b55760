// The playground's IndexedDB store (prepended to driftq.js with --pre-js). One database, one object
// store, one record per file: key = file name ("session.json", "wal/00000000.seg"), value = its
// bytes. Before main() runs, every record is read and written into the module's memory file
// system under /idb, so C++ reads what the browser kept synchronously (web/idb_storage.cpp).
// Writes go the other way: C++ hands over the changed files, then commit(epoch) writes them in one
// transaction; Module._driftq_idb_done(epoch, code) reports the outcome only when the browser says
// the transaction completed (or failed). At most one transaction is in flight (the C++ side waits).
//
// We do not use Emscripten's IDBFS: in 3.1.6 it loses open errors (`this.error` in an arrow
// function), never reports `blocked`, and rewrites every changed file with no way to tell quota
// errors from others. Those are the errors a person must be told about.
var DriftqIdb = {
  DB: 'driftq-playground',
  VERSION: 1,
  STORE: 'files',
  db: null,
  // Error codes shared with web/idb_storage.hpp (IdbErrorKind).
  codes: { unavailable: 1, blocked: 2, version: 3, quota: 4, other: 5, closed: 6 },
  error: null,         // {code, text} of the last failure, read by C++
  batch: [],           // puts and deletes waiting for commit()
  loaded: 0,           // files read at start

  fail(code, text) {
    DriftqIdb.error = { code, text: String(text) };
    return code;
  },

  // Opens the database, creating its store on first use. Resolves to the database or null.
  open() {
    return new Promise((resolve) => {
      let req;
      try {
        if (typeof indexedDB === 'undefined') throw new Error('this browser gives the page no IndexedDB');
        req = indexedDB.open(DriftqIdb.DB, DriftqIdb.VERSION);
      } catch (e) {
        DriftqIdb.fail(DriftqIdb.codes.unavailable, e.message || e);
        return resolve(null);
      }
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains(DriftqIdb.STORE)) db.createObjectStore(DriftqIdb.STORE);
      };
      // Blocked: the open waits until other tabs close the database, maybe forever. Start
      // without saving rather than hang the page; if the open succeeds later, it is not used.
      let settled = false;
      req.onblocked = () => {
        DriftqIdb.fail(DriftqIdb.codes.blocked, 'another tab keeps an older playground database open');
        settled = true;
        resolve(null);
      };
      req.onerror = (e) => {
        const err = req.error;
        e.preventDefault();
        const code = err && err.name === 'VersionError' ? DriftqIdb.codes.version
                   : err && err.name === 'QuotaExceededError' ? DriftqIdb.codes.quota : DriftqIdb.codes.other;
        DriftqIdb.fail(code, err ? err.name + ': ' + err.message : 'open failed');
        resolve(null);
      };
      req.onsuccess = () => {
        const db = req.result;
        if (settled) return db.close();
        // A newer playground in another tab wants to upgrade: let it, and stop saving here.
        db.onversionchange = () => {
          db.close();
          DriftqIdb.db = null;
          DriftqIdb.fail(DriftqIdb.codes.closed, 'a newer playground opened in another tab');
        };
        DriftqIdb.db = db;
        resolve(db);
      };
    });
  },

  // Reads every record into /idb in the memory file system.
  load(db) {
    return new Promise((resolve) => {
      const tx = db.transaction(DriftqIdb.STORE, 'readonly');
      const store = tx.objectStore(DriftqIdb.STORE);
      const keys = store.getAllKeys();
      const values = store.getAll();
      tx.oncomplete = () => {
        keys.result.forEach((key, i) => {
          try {
            const value = values.result[i];
            if (typeof key !== 'string' || !key || !(value instanceof Uint8Array)) throw new Error('not a file record');
            const path = '/idb/' + key;
            FS.mkdirTree(path.substring(0, path.lastIndexOf('/')));
            FS.writeFile(path, value);
            ++DriftqIdb.loaded;
          } catch (e) {  // the page goes on without it, and without saving over what it could not read
            DriftqIdb.fail(DriftqIdb.codes.other, 'reading saved file "' + key + '": ' + (e.message || e));
          }
        });
        resolve();
      };
      tx.onerror = tx.onabort = () => {
        DriftqIdb.fail(DriftqIdb.codes.other, 'reading saved files: ' + (tx.error ? tx.error.message : 'aborted'));
        resolve();
      };
    });
  },

  put(name, bytes) { DriftqIdb.batch.push([name, bytes]); },
  remove(name) { DriftqIdb.batch.push([name, null]); },

  // Writes the batch in one transaction; reports through _driftq_idb_done when the browser has
  // committed it (code 0) or failed (code > 0, the text in DriftqIdb.error).
  commit(epoch) {
    const batch = DriftqIdb.batch;
    DriftqIdb.batch = [];
    const done = (code) => Module._driftq_idb_done(epoch, code);
    const db = DriftqIdb.db;
    if (!db) return done(DriftqIdb.error ? DriftqIdb.error.code : DriftqIdb.fail(DriftqIdb.codes.unavailable, 'no database'));
    let tx;
    try {
      tx = db.transaction(DriftqIdb.STORE, 'readwrite');
      const store = tx.objectStore(DriftqIdb.STORE);
      for (const item of batch) {  // [name, bytes or null] (no destructuring: 3.1.6's minifier breaks it)
        if (item[1]) store.put(item[1], item[0]);
        else store.delete(item[0]);
      }
    } catch (e) {
      if (tx) try { tx.abort(); } catch (_) {}
      return done(DriftqIdb.classify(e));
    }
    tx.oncomplete = () => done(0);
    tx.onabort = () => done(DriftqIdb.classify(tx.error));
  },

  classify(err) {
    const name = err && err.name;
    const text = err ? (err.name || 'Error') + ': ' + err.message : 'the transaction was aborted';
    if (name === 'QuotaExceededError') return DriftqIdb.fail(DriftqIdb.codes.quota, text);
    if (name === 'InvalidStateError') return DriftqIdb.fail(DriftqIdb.codes.closed, text);
    return DriftqIdb.fail(DriftqIdb.codes.other, text);
  },
};

Module.preRun = Module.preRun || [];
Module.preRun.push(() => {
  addRunDependency('driftq-idb');
  FS.mkdir('/idb');
  DriftqIdb.open()
    .then((db) => (db ? DriftqIdb.load(db) : null))
    .catch((e) => DriftqIdb.fail(DriftqIdb.codes.other, e.message || e))
    .finally(() => removeRunDependency('driftq-idb'));
});

// The test file's database, for a second module graph in the same process: a whole-page render test
// loads the app through a Vite server of its own (app/test/render.ts), whose copy of the app must
// query the database the test file set up. Node's require cache, not either graph, holds this module,
// so both see the same object. Set by test-database.server.ts; read by render-database.server.ts.
module.exports = { current: undefined }

// Test helpers shared by every suite: see store.ts and server.ts.

export { basicAuth, startTestServer, type TestServer, type TestServerOptions } from './server.ts';
export { createTestStore, type TestStore, testDatabaseUrl } from './store.ts';

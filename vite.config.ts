/// <reference types="vitest/config" />
import { vitePlugin as remix } from '@remix-run/dev'
import { defineConfig } from 'vite'
import { testDatabase } from './app/test/vite-test-database.ts'
import remixConfig from './remix.config.js'

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

// Vitest runs in mode 'test' without the Remix plugin; a test that renders whole pages starts its own
// Vite server in development mode, with it.
export default defineConfig(({ mode }) => ({
  plugins: mode === 'test' ? [testDatabase()] : [remix(remixConfig)],
  optimizeDeps: {
    // Native and WebAssembly packages cannot be pre-bundled by esbuild.
    exclude: ['@node-rs/argon2', '@electric-sql/pglite'],
  },
  // The server bundle opens the database with a top-level await.
  build: { target: 'es2022' },
  server: { port: 3000 },
  test: {
    include: ['app/**/*.test.{ts,tsx}', 'db/**/*.test.ts', 'scripts/**/*.test.ts'],
    globalSetup: ['./app/test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
}))

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// The web app lives in web/ and is built into dist/web, which the Fastify app serves at `/`.
export default defineConfig({
  root: 'web',
  plugins: [
    react(),
    // Installable, and the resident's vouchers open offline (docs/web.md, "Offline and
    // installable"): a web app manifest and a Workbox service worker (sw.js) that precaches the
    // built app and keeps the last answer of a few reads. The app registers it (src/offline).
    VitePWA({
      strategies: 'generateSW',
      injectRegister: false,
      registerType: 'autoUpdate',
      // globPatterns below precaches the icons and the manifest already.
      includeManifestIcons: false,
      manifest: {
        id: '/resident',
        name: 'CivicPoints',
        short_name: 'CivicPoints',
        description: 'Your points, rewards and vouchers.',
        start_url: '/resident',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: '#0d7462',
        background_color: '#ffffff',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          {
            src: '/icons/maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      workbox: {
        // The app shell: every built file but the source maps.
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        navigateFallback: '/index.html',
        // The server's own paths (src/http/static-web.ts NOT_WEB) are never the app's pages.
        navigateFallbackDenylist: [
          /^\/(api|open311|docs|metrics|health|ready|openapi\.json|\.well-known)(\/|$|\?)/,
        ],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        runtimeCaching: [
          {
            // The signed-in resident's own reads that the voucher screens need: who is signed
            // in, the vouchers list and one voucher. Network first (always fresh online); the
            // last 200 answer when the network fails or hangs. Nothing else personal is kept,
            // and the app empties this cache on sign-out and when another resident signs in
            // (web/src/offline/personalCache.ts, which knows this cache's name).
            urlPattern: ({ url, sameOrigin }) =>
              sameOrigin && /^\/api\/me(\/vouchers(\/[A-Za-z0-9_-]+)?)?$/.test(url.pathname),
            handler: 'NetworkFirst',
            options: {
              cacheName: 'civicpoints-personal',
              networkTimeoutSeconds: 6,
              cacheableResponse: { statuses: [200] },
              expiration: { maxEntries: 60 },
            },
          },
          {
            // Public reads the voucher screens show: the region, the municipalities (for the
            // slug) and their reward catalogues (what a voucher is for, where to use it).
            urlPattern: ({ url, sameOrigin }) =>
              sameOrigin &&
              /^\/api\/(region|municipalities(\/[a-z0-9-]+\/rewards)?)$/.test(url.pathname),
            handler: 'NetworkFirst',
            options: {
              cacheName: 'civicpoints-public',
              networkTimeoutSeconds: 6,
              cacheableResponse: { statuses: [200] },
              expiration: { maxEntries: 20 },
            },
          },
        ],
      },
    }),
  ],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate chunks stay cached across releases.
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/,
            },
            { name: 'mantine', test: /node_modules[\\/]@mantine[\\/]/ },
            {
              name: 'i18n',
              test: /node_modules[\\/](i18next|react-i18next|i18next-browser-languagedetector)[\\/]/,
            },
          ],
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});

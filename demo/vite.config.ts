// Serves the demo task board (`npm start` runs it next to the sync server).
import react from '@vitejs/plugin-react';
import {defineConfig} from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  server: {host: '127.0.0.1'},
  preview: {host: '127.0.0.1'},
  // Pre-bundle React at startup: discovering it on the first page load would reload the page.
  optimizeDeps: {include: ['react', 'react/jsx-dev-runtime', 'react-dom/client']},
  build: {outDir: '../.tmp/demo-dist', emptyOutDir: true, target: 'es2022'},
});

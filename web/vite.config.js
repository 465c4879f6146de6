// Vite build configuration for the ltci web front end. The app is served by `ltci serve` at "/",
// so assets use absolute paths. In development, /api is proxied to a running ltci server
// (LTCI_API, default http://127.0.0.1:18090).
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  plugins: [vue()],
  base: '/',
  server: {
    proxy: {
      '/api': { target: process.env.LTCI_API || 'http://127.0.0.1:18090', changeOrigin: false }
    }
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Element Plus is imported whole and kept in its own cacheable chunk.
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) return 'element-plus'
          // ECharts is used only by the fund page: its own chunk, loaded with that page.
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts'
          if (id.includes('node_modules/')) return 'vendor'
        }
      }
    }
  }
})

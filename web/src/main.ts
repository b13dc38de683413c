import { createApp } from 'vue'
import ElementPlus, { ElMessage } from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'
import './style.css'
import App from './App.vue'
import { configureApi } from './api'
import { router } from './router'
import { clearSession, session } from './session'

configureApi({
  notify: (message) => {
    ElMessage({ type: 'error', message, grouping: true, showClose: true, duration: 5000 })
  },
  onUnauthenticated: () => {
    // The session ended (idle timeout, logout elsewhere): back to the login page.
    const wasSignedIn = !!session.me
    clearSession()
    session.loaded = true
    const current = router.currentRoute.value
    if (wasSignedIn && !current.meta.public) {
      router.replace({ path: '/login', query: { next: current.fullPath } })
    }
  },
})

createApp(App).use(ElementPlus, { locale: zhCn }).use(router).mount('#app')

import { defineAsyncComponent } from 'vue';
import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
import './custom.css';

/**
 * The default theme plus <SessionGuide id="session-N" />. It loads on demand, so the
 * sessions' data (TODOs, hints, solution diffs) is fetched by session pages only.
 */
const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('SessionGuide', defineAsyncComponent(() => import('./components/SessionGuide.vue')));
  },
};

export default theme;

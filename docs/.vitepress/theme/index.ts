/**
 * The default theme plus <SessionGuide id="session-N" />, <Board /> and <Room /> (the instructor's room). They load on demand,
 * so the sessions' data (TODOs, hints, solution diffs) is fetched by session pages only, and
 * the board by the pages that show it.
 */
import { defineAsyncComponent } from 'vue';
import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
import './custom.css';

const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component(
      'SessionGuide',
      defineAsyncComponent(() => import('./components/SessionGuide.vue')),
    );
    app.component(
      'Board',
      defineAsyncComponent(() => import('./components/Board.vue')),
    );
    app.component(
      'Room',
      defineAsyncComponent(() => import('./components/Room.vue')),
    );
  },
};

export default theme;

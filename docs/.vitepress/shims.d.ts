// Types for what tsc cannot see on its own: single-file components and the mermaid plugin's virtual module.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

// Typed access to the webview API (acquireVsCodeApi can be called once per page).
interface VsCodeApi<S, M> {
  postMessage(message: M): void;
  getState(): S | undefined;
  setState(state: S): void;
}
declare function acquireVsCodeApi<S, M>(): VsCodeApi<S, M>;

let api: unknown;
export function vscodeApi<S, M>(): VsCodeApi<S, M> {
  api ??= acquireVsCodeApi<S, M>();
  return api as VsCodeApi<S, M>;
}

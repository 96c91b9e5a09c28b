// Hosted Link pages and the OAuth callback (public). The flow lives in src/link/.
export { default } from '../../link/routes.ts';

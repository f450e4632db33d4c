/**
 * The till's two signal colours, darker than Mantine's green.9 and orange.9 so that white text on
 * them and they on their light tints (green.0) pass WCAG AA: #1e6b30 is 6.6:1 on white and
 * 6.1:1 on green.0; #b23c0a is 5.9:1 on white.
 */
export const OK_INK = '#1e6b30';
export const WAIT_INK = '#b23c0a';

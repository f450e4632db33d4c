import { type CSSVariablesResolver, createTheme, type MantineColorsTuple } from '@mantine/core';

// The one visual language of CivicPoints: every area reuses these tokens.
// Contrast (WCAG 2.1 AA) was checked for the shades that carry text:
// civic.7 on white 5.7:1, white on civic.7 5.7:1, civic.9 on civic.1 9:1, gray.7 on white 8.2:1.

/** Calm civic green-teal; shade 7 is the primary (filled buttons, links). */
const civic: MantineColorsTuple = [
  '#e8f6f2',
  '#cfeae3',
  '#a0d5c8',
  '#6cbfac',
  '#43ab94',
  '#279c84',
  '#158a73',
  '#0d7462',
  '#085f51',
  '#044b40',
];

/** Warm amber for notices such as the demo banner (text uses shade 9 on shade 0). */
const notice: MantineColorsTuple = [
  '#fff8e1',
  '#ffefc0',
  '#fde08a',
  '#fbcf52',
  '#f9c02a',
  '#f0ad0e',
  '#d49200',
  '#a87200',
  '#7a5200',
  '#4d3300',
];

const systemFonts =
  "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', 'Noto Sans', 'Liberation Sans', Arial, sans-serif";

export const theme = createTheme({
  primaryColor: 'civic',
  primaryShade: 7,
  colors: { civic, notice },
  autoContrast: true,
  focusRing: 'auto',
  respectReducedMotion: true,
  cursorType: 'pointer',
  fontFamily: systemFonts,
  headings: {
    fontFamily: systemFonts,
    fontWeight: '700',
    textWrap: 'balance',
    sizes: {
      h1: { fontSize: 'clamp(1.75rem, 1.35rem + 1.8vw, 2.5rem)', lineHeight: '1.15' },
      h2: { fontSize: 'clamp(1.375rem, 1.2rem + 0.8vw, 1.75rem)', lineHeight: '1.25' },
      h3: { fontSize: '1.25rem', lineHeight: '1.3' },
      h4: { fontSize: '1.125rem', lineHeight: '1.35' },
      h5: { fontSize: '1rem', lineHeight: '1.4' },
      h6: { fontSize: '0.875rem', lineHeight: '1.4' },
    },
  },
  fontSizes: {
    xs: '0.8125rem',
    sm: '0.9375rem',
    md: '1rem',
    lg: '1.125rem',
    xl: '1.3125rem',
  },
  lineHeights: { xs: '1.4', sm: '1.45', md: '1.55', lg: '1.6', xl: '1.65' },
  spacing: {
    xs: '0.5rem',
    sm: '0.75rem',
    md: '1rem',
    lg: '1.5rem',
    xl: '2rem',
  },
  radius: {
    xs: '0.25rem',
    sm: '0.375rem',
    md: '0.625rem',
    lg: '1rem',
    xl: '1.5rem',
  },
  defaultRadius: 'md',
  shadows: {
    xs: '0 1px 2px rgba(4, 75, 64, 0.08)',
    sm: '0 1px 3px rgba(4, 75, 64, 0.1), 0 1px 2px rgba(4, 75, 64, 0.06)',
    md: '0 4px 12px rgba(4, 75, 64, 0.1)',
    lg: '0 8px 24px rgba(4, 75, 64, 0.12)',
    xl: '0 16px 40px rgba(4, 75, 64, 0.14)',
  },
  other: {
    /** Page background behind cards. */
    surface: '#f4f8f7',
    /** Largest width of page content. */
    contentWidth: '72rem',
  },
  components: {
    Button: { defaultProps: { size: 'md' } },
    NativeSelect: { defaultProps: { size: 'md' } },
  },
});

/** Darkens Mantine's dimmed and placeholder text so secondary text still meets AA on white. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-7)',
    // Mantine's red.6 is 3.3:1 on white; red.8 (#e03131) is 4.6:1, red.9 (#c92a2a) 5.4:1.
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-color-body': '#ffffff',
  },
  dark: {},
});

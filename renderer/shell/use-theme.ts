import { useEffect } from 'react';
import { useApp } from '../state/context';

/**
 * 'system' leaves the choice to the stylesheet's prefers-color-scheme; an explicit light/dark setting
 * pins it with a data attribute on <html>.
 */
export function useTheme(): void {
  const theme = useApp((s) => s.settings?.theme ?? 'system');
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}

import { useEffect } from 'react';
import { pageFromHash } from '../../store/navigation-slice';
import { useTend } from '../../store/use-tend';

/**
 * Keeps the page in the address's hash (`#settings`), so a reload of the web host's tab stays
 * on the same page and the browser's Back button goes to the previous one.
 */
export function useHashNavigation(): void {
  const page = useTend((state) => state.page);
  const navigate = useTend((state) => state.navigate);

  useEffect(() => {
    if (pageFromHash(window.location.hash) !== page || window.location.hash === '') {
      window.location.hash = page;
    }
  }, [page]);

  useEffect(() => {
    const onHashChange = () => navigate(pageFromHash(window.location.hash));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [navigate]);
}

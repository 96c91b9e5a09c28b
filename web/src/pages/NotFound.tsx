import { Link } from '../router.tsx';
import { EmptyState } from '../ui/Misc.tsx';

export function NotFound() {
  return (
    <EmptyState title="Page not found">
      <p>
        That page does not exist. Go to <Link to="/companies">Companies</Link>.
      </p>
    </EmptyState>
  );
}

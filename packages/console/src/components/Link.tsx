// An <a> that navigates client-side; a real link, so middle-click and copy-link work.
import type { AnchorHTMLAttributes } from 'react';
import { linkClick } from '../router.ts';

export function Link({ href, onClick, children, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return (
    <a href={href} onClick={onClick ?? linkClick} {...rest}>
      {children}
    </a>
  );
}

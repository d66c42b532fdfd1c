import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { isRetryable } from './api/client';
import { AuthGate } from './auth/AuthGate';
import './styles.css';
import './ui/screens.css';

const queryClient = new QueryClient({
  // A refusal (401, 403, a bad parameter) will not change on a retry; network trouble and 5xx might.
  defaultOptions: { queries: { refetchOnWindowFocus: true, staleTime: 1_000, retry: (failures, error) => isRetryable(error) && failures < 3 } },
});

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <AuthGate>
        <App />
      </AuthGate>
    </QueryClientProvider>
  </StrictMode>,
);

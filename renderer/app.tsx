/** The console's screens land here as their issues do; until then the shell names itself only. */
export function App() {
  return (
    <main>
      <h1>Compliance Console</h1>
    </main>
  );
}

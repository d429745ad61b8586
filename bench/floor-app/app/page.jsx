export const dynamic = "force-dynamic";

export default async function Page({ searchParams }) {
  const q = (await searchParams).q ?? "";
  return (
    <main>
      <h1>党建文库检索</h1>
      <p>{q}</p>
    </main>
  );
}

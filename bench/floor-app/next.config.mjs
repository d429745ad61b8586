// Next.js defaults: the floor has nothing of the project (without this file Next.js would find the project's config above).
export default {};

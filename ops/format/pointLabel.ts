/** The point label moved next to the report that also uses it in the owners' summary. */
export { pointLabel } from '#shared/report/pointLabel';

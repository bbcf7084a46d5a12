import { z } from 'zod';
import { categories } from './category-info';

export { categories, categoryInfo, type Category } from './category-info';

/** A category of data. */
export const CategorySchema = z.enum(categories);

export type PayButtonProps = {
  clientSecret: string;
  method: 'card' | 'bancontact';
  label: string;
  onPaid: () => void;
  /** The customer's name, proposed as Bancontact's account holder */
  holder?: string;
};
